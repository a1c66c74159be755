#!/usr/bin/env bash
# Coverage-guided fuzzing of every decoder (docs/fuzzing.md): builds the fuzz driver, instruments the decoders with
# SharpFuzz, makes seed corpora from ../shared/data, and runs AFL++ on each target for a bounded time.
# Prints one line per target and ends with "N passed, N failed" (a target with a crash fails).
#
#   scripts/fuzz.sh [--seconds N] [--targets a,b,...] [--work DIR] [--keep]
#
# --seconds  fuzzing time per target (default 15; CI uses the default)
# --targets  comma-separated target names (default: all, see `dotnet fuzz/.../Sparkwatch.Fuzz.dll list`)
# --work     where builds, corpora and findings go (default: a temp folder, deleted unless --keep or a crash)
# Needs afl++ (Debian package), a JDK and the Java codec jars (scripts/test.sh installs them), and the SharpFuzz tool
# (.config/dotnet-tools.json). If FUZZ_RESULTS names a file, "passed=N failed=N" is written to it.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=15; targets=""; work=""; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --work) work="$2"; keep=1; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown argument $1 (see the head of $0)"; exit 2 ;;
  esac
done
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install afl++"; exit 1; }
[ -n "$work" ] || work=$(mktemp -d /tmp/sparkwatch-fuzz.XXXXXX)
mkdir -p "$work"
shared="$root/../shared/data"

fail() { echo "fuzz: $*"; [ -n "${FUZZ_RESULTS:-}" ] && echo "passed=0 failed=1" >"$FUZZ_RESULTS"; exit 1; }

# 1. The driver (built as the solution builds it), copied twice: as it is for seeding and replaying, and instrumented for
#    AFL++ (instrumented code only runs under afl-fuzz). Instrumented: our decoders and the codec libraries they wrap.
dotnet tool restore >/dev/null || fail "dotnet tool restore failed"
dotnet build fuzz/Sparkwatch.Fuzz -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build failed"; }
output=fuzz/Sparkwatch.Fuzz/bin/Debug/net10.0
rm -rf "$work/bin" "$work/afl"; cp -r "$output" "$work/bin"; cp -r "$output" "$work/afl"
for dll in Sparkwatch.Core Sparkwatch.EventLogs ZstdSharp K4os.Compression.LZ4 Snappier; do
  dotnet sharpfuzz "$work/afl/$dll.dll" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "instrumenting $dll failed"; }
done
driver=(dotnet "$work/bin/Sparkwatch.Fuzz.dll")
[ -n "$targets" ] || targets=$("${driver[@]}" list | cut -d' ' -f1 | paste -sd, -)

# 2. Seeds from the real data; the codec targets' seeds compressed by the Java libraries Spark uses.
java_classes="$work/java"; jars=/usr/share/java/lz4-java.jar:/usr/share/java/snappy-java.jar:/usr/share/java/zstd-jni.jar:/usr/share/java/compress-lzf.jar
make_seeds() {
  local target=$1 codec=$2 dir="$work/seeds/$1"
  if [ "$codec" = "-" ]; then "${driver[@]}" seed "$target" "$dir" "$shared"; return; fi
  "${driver[@]}" seed "$target" "$work/plain/$target" "$shared" || return 1
  if [ ! -d "$java_classes" ]; then
    javac -d "$java_classes" -cp "$jars" tests/Sparkwatch.EventLogs.Tests/java/SparkCodecCompress.java || return 1
  fi
  mkdir -p "$dir"
  local jobs=()
  for f in "$work/plain/$target"/*; do jobs+=("$codec,$f,$dir/$(basename "$f").$codec,3,true"); done
  java -cp "$java_classes:$jars" SparkCodecCompress "${jobs[@]}"
}

# 3. AFL++ per target. The .NET runtime needs no AFL memory limit (-m none) but gets a hard heap limit instead,
#    so an input that makes a decoder allocate without bound is a crash (OutOfMemoryException): memory stays bounded.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export DOTNET_GCHeapHardLimit=0x20000000 DOTNET_TieredPGO=0
passed=0; failed=0; total_execs=0
IFS=, read -ra names <<<"$targets"
for target in "${names[@]}"; do
  codec=$("${driver[@]}" list | awk -v t="$target" '$1 == t { print $2 }')
  [ -n "$codec" ] || { echo "fuzz $target: no such target"; failed=$((failed + 1)); continue; }
  rm -rf "$work/seeds/$target"
  make_seeds "$target" "$codec" >>"$work/build.log" 2>&1 || { echo "fuzz $target: could not make seeds (see $work/build.log)"; failed=$((failed + 1)); continue; }
  out="$work/findings/$target"; mkdir -p "$work/findings"; rm -rf "$out"
  afl-fuzz -i "$work/seeds/$target" -o "$out" -x fuzz/json.dict -t 5000 -m none -V "$seconds" -- "$(command -v dotnet)" "$work/afl/Sparkwatch.Fuzz.dll" afl "$target" >"$work/afl-$target.log" 2>&1
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz $target: AFL++ did not start (last lines of $work/afl-$target.log below)"; tail -15 "$work/afl-$target.log"
    failed=$((failed + 1)); keep=1; continue
  fi
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  execs=$(stat execs_done); crashes=$(stat saved_crashes); hangs=$(stat saved_hangs); edges=$(stat edges_found)
  total_execs=$((total_execs + execs))
  line="fuzz $target: $execs inputs in ${seconds}s, $edges edges, $crashes crashes, $hangs hangs"
  if [ "${crashes:-0}" -eq 0 ]; then
    passed=$((passed + 1)); echo "$line: passed"
  else
    failed=$((failed + 1)); keep=1; echo "$line: FAILED"
    "${driver[@]}" replay "$target" "$out/default/crashes" | head -40
  fi
done
echo "fuzz: $total_execs inputs tried in all"
[ -n "${FUZZ_RESULTS:-}" ] && echo "passed=$passed failed=$failed" >"$FUZZ_RESULTS"
if [ "$keep" -eq 1 ]; then echo "fuzz: work folder kept: $work (findings/<target>/default/crashes)"; else rm -rf "$work"; fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
