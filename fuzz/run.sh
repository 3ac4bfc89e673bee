#!/usr/bin/env bash
# Run every fuzz target in turn for SECONDS seconds each (default 300),
# seeded from ../samples (copied into corpus/<target>/ on first run).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain set
# RUSTC_BOOTSTRAP=1 (done here). One fuzzer at a time: the machine is small.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_text scanner hcs_json version image_ref analysis)
fi
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ -z "$(ls -A "corpus/$t")" ]; then
    find ../samples -type f ! -name '*.zip' -size -64k -exec cp -t "corpus/$t" {} +
  fi
  echo "== $t for ${secs}s"
  cargo fuzz run -s none "$t" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 2>&1 | tee "logs/$t.log" | grep -E "^#[0-9]+.*(pulse|DONE|NEW)|ERROR|panicked|stat::" | tail -n 20
done
