#!/usr/bin/env bash
# Rebuilds the zstd dictionary that stored events are compressed with (src/Sparkwatch.Storage/Compression/).
# Trained on the events of Spark's own History Server test logs (Apache-2.0, ../shared/data/spark-events, Spark 1.x-2.x);
# the Spark 3 Delight log and the listener capture are left out, so they measure it on events it has not seen.
# A stored event names its dictionary by its first byte: never replace a released dictionary, add a new one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/src/Sparkwatch.Storage/Compression/spark-events-v1.zdict}
samples=$(mktemp -d)
trap 'rm -rf "$samples"' EXIT
find "$repo/../shared/data/spark-events" -type f | sort | while read -r log; do
  grep '^{' "$log" | split -l 1 -a 5 - "$samples/$(basename "$log")-"
done
zstd -q --train-cover --maxdict=32768 -o "$out" "$samples"/*
echo "wrote $out ($(stat -c %s "$out") bytes) from $(ls "$samples" | wc -l) events"
