#!/usr/bin/env bash
# CPU the sinks (model, archive, search) spend catching up a store filled without them.
#   scripts/measure-sink-catchup.sh SPARKWATCH_DLL [LABEL] [server settings...]
# Builds once (cached in $WORK, default /tmp/sparkwatch-sink-catchup): 10 runs of 20,018 events each, made from the
# shared Spark 3 log with its 200 tasks repeated 50 times, imported with `sparkwatch import` (no sinks run). Then starts
# the given server over a copy of that store and waits until GET /sinks shows every sink it runs caught up; prints the
# server's CPU seconds (user + system, from /proc) and the wall time. The server's start-up is included in both.
# REPLAY=1: the server starts on an empty store instead and the 10 logs are sent to its /collect with
# `sparkwatch replay --concurrency 4` (as listeners would), so the CPU counted is ingest and sinks together.
set -euo pipefail
dll=$(realpath "$1"); label=${2:-run}; shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/sparkwatch-sink-catchup}
port=${PORT:-5990}
if [ ! -f "$work/fill/sparkwatch.db" ]; then
  mkdir -p "$work/logs"
  python3 - "$here/../shared/data/delight-example-spark3.eventlog" "$work/logs" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
tasks = [e for e in events if e.get('Event') in ('SparkListenerTaskStart', 'SparkListenerTaskEnd')]
for k in range(10):
    with open(f'{sys.argv[2]}/app-{k}.log', 'w') as out:
        for e in events:
            kind = e.get('Event')
            if kind in ('SparkListenerTaskStart', 'SparkListenerTaskEnd'): continue
            if kind == 'SparkListenerApplicationStart': e = dict(e, **{'App ID': f'app-bench-{k}'})
            if kind == 'SparkListenerStageCompleted':
                stage = e['Stage Info']['Stage ID']
                for rep in range(50):
                    for t in (t for t in tasks if t['Stage ID'] == stage):
                        t = json.loads(json.dumps(t)); t['Task Info']['Task ID'] += rep * 100000; t['Task Info']['Index'] += rep * 1000
                        out.write(json.dumps(t, separators=(',', ':')) + '\n')
            out.write(json.dumps(e, separators=(',', ':')) + '\n')
PY
  dotnet "$dll" import "$work/logs" --data-dir "$work/fill" --Sparkwatch:RunModel=false > /dev/null
fi
rm -rf "$work/run"
if [ "${REPLAY:-0}" = 1 ]; then mkdir -p "$work/run"; else cp -r "$work/fill" "$work/run"; fi
dotnet "$dll" --listen "http://127.0.0.1:$port" --data-dir "$work/run" --Logging:LogLevel:Default=Warning "$@" > "$work/server-$label.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
start=$(date +%s.%N)
if [ "${REPLAY:-0}" = 1 ]; then
  until curl -sf "http://127.0.0.1:$port/sinks" > /dev/null 2>&1; do sleep 0.2; done
  dotnet "$dll" replay "$work/logs" --url "http://127.0.0.1:$port/collect" --concurrency 4 > "$work/replay-$label.log" 2>&1
fi
until curl -sf "http://127.0.0.1:$port/sinks" > "$work/sinks.json" 2>/dev/null && python3 -c "
import json, sys; s = [x for x in json.load(open('$work/sinks.json')) if x['runs_here']]
sys.exit(0 if s and all(x['lag_events'] == 0 and x['events_applied'] > 0 for x in s) else 1)"; do sleep 0.5; done
end=$(date +%s.%N)
read -r user system < <(awk '{print $14, $15}' "/proc/$pid/stat")
python3 -c "
import json; s = [x for x in json.load(open('$work/sinks.json')) if x['runs_here']]
print(f'$label: CPU {($user + $system) / 100:.1f} s, wall {$end - $start:.1f} s; ' + ', '.join(f\"{x['name']} {x['events_applied']} events\" for x in s))"
