#!/usr/bin/env bash
# Measures what retention saves (docs/archive.md, "Retention"): every shared log imported 10 times as separate runs,
# the sinks run to the end (archive zstd), then retention drops the runs' hot event bytes. Prints the SQLite store's
# bytes per event before and after (used pages, and the size after VACUUM), and the archive's bytes per event.
# Usage: scripts/measure-retention.sh [data-dir]   (needs a built src/Sparkwatch and sqlite3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$(mktemp -d)}
sw=(dotnet "$root/src/Sparkwatch/bin/Debug/net10.0/Sparkwatch.dll")
db="$data/sparkwatch.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

logs=("$root"/../shared/data/spark-events/* "$root"/../shared/data/delight-example-spark3.eventlog)
for log in "${logs[@]}"; do
  for i in $(seq 1 10); do "${sw[@]}" import "$log" --data-dir "$data" --job-name "j-$(basename "$log")" --run-id "r$i" > /dev/null; done
done

# Serves until the SQL given is true, then stops the server (its own process only).
serve_until() {
  "${sw[@]}" serve --data-dir "$data" --listen "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning "${@:2}" > "$data/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    sleep 1
    if curl -sf "http://127.0.0.1:$port/sinks" | python3 -c 'import json,sys; sys.exit(0 if all(s["lag_events"] == 0 for s in json.load(sys.stdin)) else 1)' 2>/dev/null \
       && [ "$(sqlite3 "$db" "$1")" = 1 ]; then break; fi
  done
  kill "$pid"; wait "$pid" || true
}

report() {
  local events page used free
  events=$(sqlite3 "$db" "SELECT count(*) FROM events")
  page=$(sqlite3 "$db" "PRAGMA page_size")
  used=$(( ($(sqlite3 "$db" "PRAGMA page_count") - $(sqlite3 "$db" "PRAGMA freelist_count")) * page ))
  free=$(( $(sqlite3 "$db" "PRAGMA freelist_count") * page ))
  rm -f "$data/vacuumed.db"; sqlite3 "$db" "VACUUM INTO '$data/vacuumed.db'"
  local vacuumed; vacuumed=$(stat -c %s "$data/vacuumed.db")
  echo "$1: $events events; file $(stat -c %s "$db") B, used pages $used B ($(( used / events )) B/event), free pages $free B; after VACUUM $vacuumed B ($(( vacuumed / events )) B/event)"
  # Where the bytes are (after VACUUM): the events (table and its indexes), the run model, the search index, the rest.
  sqlite3 "$data/vacuumed.db" "SELECT '  ' || part || ': ' || sum(pgsize) || ' B (' || (sum(pgsize) / $events) || ' B/event)' FROM (
      SELECT CASE WHEN name IN ('events', 'events_by_type', 'events_once_per_seq') THEN 'events' WHEN name LIKE '%model%' THEN 'run model'
                  WHEN name LIKE '%search%' THEN 'search index' ELSE 'rest' END AS part, pgsize FROM dbstat) GROUP BY part ORDER BY part"
}

serve_until "SELECT 1"
report "hot store, everything kept"
cp "$data/vacuumed.db" "$data/before-retention.db"
archive=$(find "$data/archive" -name 'events_*' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "archive parts: $archive B ($(( archive / $(sqlite3 "$db" "SELECT count(*) FROM events") )) B/event)"
serve_until "SELECT count(*) = 0 FROM events WHERE archive_line IS NULL" --Sparkwatch:Retention:HotEventsAge=00:00:01 --Sparkwatch:Retention:CheckInterval=00:00:02
report "hot store, every run retained"
echo "data folder: $data"
