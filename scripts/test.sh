#!/usr/bin/env bash
# Runs every test of Sparkwatch. Installs what the tests need when missing (Debian packages; needs root or sudo),
# then runs the whole solution's tests and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql nats-server openjdk-17-jdk-headless liblz4-java libsnappy-java libzstd-jni-java libcompress-lzf-java afl++ chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]}"; exit 1; }
fi

# The archive tests' S3-compatible server (s3rver, from npm), kept outside the repository.
s3rver_dir="$HOME/.cache/sparkwatch/s3rver"
if [ ! -f "$s3rver_dir/node_modules/s3rver/bin/s3rver.js" ]; then
  echo "Installing s3rver into $s3rver_dir"
  npm install --no-audit --no-fund --silent --prefix "$s3rver_dir" s3rver@3.7.1 >/dev/null || { echo "could not install s3rver"; exit 1; }
fi

results=$(mktemp -d)
dotnet test Sparkwatch.slnx --logger "trx" --results-directory "$results" "$@"
status=$?
# The HTTP suites (and the fuzzed HTTP properties) once more, against a private PostgreSQL instead of SQLite (the tests start it themselves).
SPARKWATCH_TEST_STORE=postgres dotnet test tests/Sparkwatch.Tests --no-build --logger "trx;LogFilePrefix=postgres" --results-directory "$results" "$@" \
  || status=$?
SPARKWATCH_TEST_STORE=postgres dotnet test tests/Sparkwatch.Fuzz.Tests --no-build --filter "FullyQualifiedName!~FuzzCorpusReplay" \
  --logger "trx;LogFilePrefix=postgres-fuzz" --results-directory "$results" "$@" || status=$?

# Coverage-guided fuzzing of every decoder for a bounded time (docs/fuzzing.md); each target counts as one test.
fuzz_results=$(mktemp)
FUZZ_RESULTS="$fuzz_results" scripts/fuzz.sh || status=$?

# Sum the counters of every test project's TRX report into the closing line.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
fp=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\1/p' "$fuzz_results"); ff=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\2/p' "$fuzz_results")
passed=$((passed + ${fp:-0})); failed=$((failed + ${ff:-1}))
rm -rf "$results" "$fuzz_results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test failed before running every test (build error?)"; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
