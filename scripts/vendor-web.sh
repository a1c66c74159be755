#!/usr/bin/env bash
# Vendors the dashboard's browser libraries from npm into src/Sparkwatch/wwwroot/vendor/ (the dist file and its licence),
# so the service needs no CDN and no Node.js to build or run. Run it when a version changes, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
uplot_version=1.6.32
target=src/Sparkwatch/wwwroot/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "uplot@$uplot_version" >/dev/null && tar -xzf "uplot-$uplot_version.tgz")
mkdir -p "$target"
cp "$work/package/dist/uPlot.iife.min.js" "$target/uPlot.iife.min.js"
cp "$work/package/dist/uPlot.min.css" "$target/uPlot.min.css"
cp "$work/package/LICENSE" "$target/uPlot.LICENSE"
echo "uPlot $uplot_version vendored into $target"
