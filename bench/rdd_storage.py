# Ingests one run with a persisted RDD through /collect (block updates, or as many events the model ignores), then times
# storage reads. Usage: python3 bench/rdd_storage.py http://127.0.0.1:5000 PARTITIONS EXECUTORS 1|0
import gzip, json, sys, time, urllib.request
base = sys.argv[1]; partitions = int(sys.argv[2]); executors = int(sys.argv[3]); with_blocks = sys.argv[4] == "1"
app = f"bench-rdd-{partitions}-{int(with_blocks)}"
T0 = 1_700_000_000_000
lvl = {"Use Disk": True, "Use Memory": True, "Use Off Heap": False, "Deserialized": True, "Replication": 1}
ev = [{"Event": "SparkListenerApplicationStart", "App Name": "b", "App ID": app, "Timestamp": T0, "User": "u"}]
for x in range(executors):
    ev.append({"Event": "SparkListenerExecutorAdded", "Timestamp": T0, "Executor ID": str(x), "Executor Info": {"Host": f"h{x}", "Total Cores": 4, "Log Urls": {}, "Resource Profile Id": 0}})
    ev.append({"Event": "SparkListenerBlockManagerAdded", "Block Manager ID": {"Executor ID": str(x), "Host": f"h{x}", "Port": 1}, "Maximum Memory": 10**10, "Timestamp": T0, "Maximum Onheap Memory": 10**10, "Maximum Offheap Memory": 0})
ev.append({"Event": "SparkListenerStageSubmitted", "Stage Info": {"Stage ID": 0, "Stage Attempt ID": 0, "Stage Name": "s", "Number of Tasks": partitions, "RDD Info": [{"RDD ID": 1, "Name": "r", "Storage Level": lvl, "Number of Partitions": partitions}], "Submission Time": T0}, "Properties": {}})
if with_blocks:
    for p in range(partitions):
        x = p % executors
        ev.append({"Event": "SparkListenerBlockUpdated", "Block Updated Info": {"Block Manager ID": {"Executor ID": str(x), "Host": f"h{x}", "Port": 1}, "Block ID": f"rdd_1_{p}", "Storage Level": lvl, "Memory Size": 1000 + p, "Disk Size": 0}})
else:
    for p in range(partitions):  # same number of events the model ignores, for the comparison
        ev.append({"Event": "SparkListenerExecutorMetricsUpdate", "Executor ID": str(p % executors), "Metrics Updated": []})
def post(batch, counter):
    body = {"job_name": "bench", "run_id": app, "sent_at": T0, "counters": {"message_counter": counter, "payload_counter": 1},
            "messages": [{"generated_at": T0, "message_type": "spark-event", "content": json.dumps(e)} for e in batch]}
    req = urllib.request.Request(base + "/collect", gzip.compress(json.dumps(body).encode()), {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    urllib.request.urlopen(req).read()
start = time.perf_counter(); n = 0
for i in range(0, len(ev), 500):
    n += len(ev[i:i+500]); post(ev[i:i+500], n)
ingest = time.perf_counter() - start
def timed(path, k=20):
    ts = []
    for _ in range(k):
        t = time.perf_counter(); urllib.request.urlopen(base + path).read(); ts.append((time.perf_counter() - t) * 1000)
    ts.sort(); return ts[len(ts)//2], ts[-1]
first = time.perf_counter(); urllib.request.urlopen(base + f"/api/v1/applications/{app}/storage/rdd/1").read(); catch_up = time.perf_counter() - first
print(f"{app}: {len(ev)} events posted in {ingest:.2f}s; first read (model catch-up) {catch_up*1000:.0f} ms")
for path in ["storage/rdd/1", "storage/rdd", "allexecutors"]:
    p50, mx = timed(f"/api/v1/applications/{app}/{path}")
    print(f"  {path}: p50 {p50:.1f} ms, max of 20 {mx:.1f} ms")
