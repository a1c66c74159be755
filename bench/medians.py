#!/usr/bin/env python3
"""Prints the median (and each value) of the key figures of several Sparkwatch.Bench result files.
Usage: python3 bench/medians.py artifacts/bench/default-*.json"""
import json, statistics, sys

runs = [json.load(open(p)) for p in sys.argv[1:]]

def row(name, get, fmt="{:,.0f}"):
    values = [get(r) for r in runs]
    print(f"| {name} | {fmt.format(statistics.median(values))} | {' / '.join(fmt.format(v) for v in values)} |")

print(f"| figure | median of {len(runs)} | each run |\n|---|---|---|")
row("ingest events/s (60 s, closed loop)", lambda r: r["ingest"]["events_per_second"])
row("ingest MB/s (event JSON)", lambda r: r["ingest"]["megabytes_per_second"], "{:.1f}")
row("ingest ack p50 ms", lambda r: r["ingest"]["ack_latency_ms"]["p50"], "{:.1f}")
row("ingest ack p99 ms", lambda r: r["ingest"]["ack_latency_ms"]["p99"], "{:.1f}")
row("ingest ack max ms", lambda r: r["ingest"]["ack_latency_ms"]["max"], "{:.1f}")
row("ingest: stored, s after the last ack", lambda r: r["ingest"].get("stored_seconds") or 0, "{:.2f}")
for name in sorted(s["sink"] for s in runs[0]["ingest"].get("sinks", [])):
    sink = lambda r, phase, name=name: next(s for s in r[phase]["sinks"] if s["sink"] == name)
    row(f"ingest: sink {name} caught up, s after the last ack", lambda r: sink(r, "ingest")["catch_up_seconds"] or float("nan"), "{:.1f}")
    row(f"ingest: sink {name} largest lag, events", lambda r: sink(r, "ingest")["max_lag_events"])
row("half load events/s", lambda r: r["half_load"]["events_per_second"])
row("half load ack p50 ms", lambda r: r["half_load"]["ack_latency_ms"]["p50"], "{:.1f}")
row("half load ack p99 ms", lambda r: r["half_load"]["ack_latency_ms"]["p99"], "{:.1f}")
row("half load ack max ms", lambda r: r["half_load"]["ack_latency_ms"]["max"], "{:.1f}")
row("half load: stored, s after the last ack", lambda r: r["half_load"].get("stored_seconds") or 0, "{:.2f}")
for name in sorted(s["sink"] for s in runs[0]["half_load"].get("sinks", [])):
    row(f"half load: sink {name} caught up, s after the last ack",
        lambda r, name=name: next(s for s in r["half_load"]["sinks"] if s["sink"] == name)["catch_up_seconds"] or float("nan"), "{:.1f}")
row("peak RSS while ingesting MB", lambda r: max([r["ingest"]["peak_rss_mb"], r["half_load"]["peak_rss_mb"]] + [s["ingest_peak_rss_mb"] for s in r["run_sizes"]]))
for i, step in enumerate(runs[0]["run_counts"]):
    n = step["runs"]
    row(f"{n:,} runs: ingest events/s", lambda r: r["run_counts"][i]["ingest_events_per_second"])
    row(f"{n:,} runs: /duration p50 ms", lambda r: r["run_counts"][i]["duration_ms"]["p50"], "{:.2f}")
    row(f"{n:,} runs: /duration p99 ms", lambda r: r["run_counts"][i]["duration_ms"]["p99"], "{:.2f}")
    row(f"{n:,} runs: /job/{{job}} p50 ms", lambda r: r["run_counts"][i]["job_runs_ms"]["p50"], "{:.2f}")
    row(f"{n:,} runs: /job/{{job}} p99 ms", lambda r: r["run_counts"][i]["job_runs_ms"]["p99"], "{:.2f}")
    row(f"{n:,} runs: events stored in total", lambda r: r["run_counts"][i]["events_stored_total"])
for i, step in enumerate(runs[0]["run_sizes"]):
    n = step["events"]
    row(f"run of {n:,}: ingest events/s (one sender)", lambda r: r["run_sizes"][i]["ingest_events_per_second"])
    row(f"run of {n:,}: /events events/s", lambda r: r["run_sizes"][i]["stream"]["events_per_second"])
    row(f"run of {n:,}: /events MB/s", lambda r: r["run_sizes"][i]["stream"]["megabytes_per_second"], "{:.1f}")
    row(f"run of {n:,}: /events seconds", lambda r: r["run_sizes"][i]["stream"]["seconds"], "{:.3f}")
    row(f"run of {n:,}: RSS growth serving MB", lambda r: r["run_sizes"][i]["stream"]["rss_growth_bytes"] / 1e6)
    row(f"run of {n:,}: /duration p50 ms", lambda r: r["run_sizes"][i]["duration_ms"]["p50"], "{:.2f}")
    row(f"run of {n:,}: /duration p99 ms", lambda r: r["run_sizes"][i]["duration_ms"]["p99"], "{:.2f}")
for i, ratio in enumerate(runs[0]["ratios"]):
    row(f"ratio: {ratio['what']}", lambda r: r["ratios"][i]["value"], "{:.2f}×")
if all(r["disk"] for r in runs):  # the embedded SQLite store's files; none over PostgreSQL
    row("stored bytes per event", lambda r: r["disk"]["stored_bytes_per_event"])
    row("raw JSON bytes per event", lambda r: r["disk"]["raw_bytes_per_event"])
    row("stored / raw", lambda r: r["disk"]["ratio_to_raw"], "{:.2f}×")
if all(r["startup"] for r in runs):  # not measured in the JetStream topology
    row("events stored at the end", lambda r: r["startup"]["events_stored"])
    row("start-up s (median of 3 restarts)", lambda r: r["startup"]["median_seconds"], "{:.3f}")
print("\nload average at the end of each run: " + " | ".join(r["machine"]["load_average_at_end"] for r in runs))
