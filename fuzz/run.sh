#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) from its committed corpus
# (new inputs go to a scratch copy, not the repository). A crash stops the
# run and leaves its input in fuzz/artifacts/<target>/; once fixed, the
# input goes into corpus/<target>/, which `cargo test` replays
# (tests/fuzz_corpora.rs).
#
#     fuzz/run.sh [SECONDS]            # every target
#     TARGETS="decode scanner" fuzz/run.sh 300
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain builds
# the targets with RUSTC_BOOTSTRAP=1.
#
# Without AddressSanitizer (`-s none`): tailwatch has no unsafe code
# (`#![forbid(unsafe_code)]`), so what the fuzzer can find in it is a panic,
# an abort or unbounded memory, which libFuzzer reports on its own; the
# sanitizer would instrument only the dependencies, and cost a third of
# the build.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O -s none
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in ${TARGETS:-$(cargo fuzz list)}; do
  mkdir -p "$scratch/$target" "corpus/$target"
  echo "fuzz: $target for ${seconds}s"
  status=0
  cargo fuzz run -O -s none "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
    >"$scratch/$target.log" 2>&1 || status=$?
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$scratch/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$scratch/$target.log"
    echo "fuzz: $target failed; its input is in fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
