#!/usr/bin/env python3
"""Groups the CPU samples of a `perf script` dump of the server by the first frame of ours on each stack.

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet Sparkwatch.dll ... &   # JIT frames get names
    perf record -F 499 -g -p <pid> -o perf.data -- sleep 20                           # while the harness loads it
    perf script -i perf.data > perf.txt && python3 bench/perf-buckets.py perf.txt

A sample counts for the first group (in the order below) whose marker is on its stack; samples of the JIT and GC
threads count by thread; what is left is split into file I/O in the kernel (by system call) and the rest.
"""
import collections
import sys

GROUPS = [
    ("decoding the payload", "ListenerPayloadDecoder::Decode"),
    ("body read and gunzip", "RequestBodyReader"),
    ("zstd of each event", "StoredEventCodecPool::Prepare"),
    ("SQLite append", "SqliteAppender"),
    ("SQLite append", "SqliteEventStore::AppendAsync"),
    ("other ingest code", "IngestPipeline"),
    ("run model sink", "RunModelSink"),
    ("run model sink", "RunProjector"),
    ("run model sink", "StageSummaryKeeper"),
    ("search sink", "Search"),
    ("archive sink", "Archive"),
    ("sink reads", "SinkRunner"),
    ("thread pool spinning", "LowLevelLifoSemaphore"),
    ("Kestrel", "Kestrel"),
]
FILE_IO = ["__libc_pwrite", "__libc_pread", "asm_exc_page_fault", "__libc_open", "rename", "fsync", "fdatasync", "unlink", "__libc_write", "__libc_read"]


def group(thread, stack):
    if "Tiered" in thread:
        return "JIT (tiered-compilation thread)"
    if "GC" in thread:
        return "GC threads"
    for name, marker in GROUPS:
        if any(marker in frame for frame in stack):
            return name
    return "file I/O in the kernel" if any(call in frame for frame in stack for call in FILE_IO) else "the rest"


def samples(lines):
    thread, stack = None, []
    for line in lines:
        if not line.strip():
            continue
        if line[0] not in " \t":
            if thread is not None and stack:
                yield thread, stack
            thread, stack = line[:16], []
        else:
            stack.append(line.strip())
    if thread is not None and stack:
        yield thread, stack


counts = collections.Counter(group(thread, stack) for thread, stack in samples(open(sys.argv[1])))
total = sum(counts.values())
print(f"{total} samples")
for name, count in counts.most_common():
    print(f"| {name} | {100 * count / total:.1f} % |")
