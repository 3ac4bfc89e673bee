#!/usr/bin/env bash
# Run every fuzz target in turn for SECONDS seconds each (default 300),
# seeded from ../samples (copied into corpus/<target>/ on first run).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain set
# RUSTC_BOOTSTRAP=1 (done here). One fuzzer at a time: the machine is small.
#
# Every target runs even when one finds a crash (its log and artifact are
# kept); the exit status is 1 when any did. Works on a fresh clone:
# corpus/, artifacts/ and logs/ are git-ignored and created here.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_text scanner hcs_json version image_ref analysis nothing_lost nothing_lost_wrapped)
fi
export RUSTC_BOOTSTRAP=1
mkdir -p logs
failed=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ -z "$(ls -A "corpus/$t")" ]; then
    find ../samples -type f ! -name '*.zip' -size -64k -exec cp -t "corpus/$t" {} +
  fi
  echo "== $t for ${secs}s"
  status=0
  cargo fuzz run -s none "$t" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 >"logs/$t.log" 2>&1 || status=$?
  grep -E "^#[0-9]+.*(pulse|DONE)|ERROR|panicked|stat::number_of_executed_units|stat::peak_rss" \
    "logs/$t.log" | tail -n 6 || true
  if [ "$status" -ne 0 ]; then
    echo "!! $t exited with $status: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "targets that failed: ${failed[*]}"
  exit 1
fi
