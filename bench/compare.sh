#!/usr/bin/env bash
# The hot paths of `sep` beside the machine's bare limit (the axum + sqlx server
# of ../shared/perf-baseline), with the same load generator (wrk) on the same
# cores, one path at a time, bare first then sep, on SQLite and PostgreSQL.
# Prints one table per engine. Run it on an otherwise idle machine.
#
#   bench/compare.sh [seconds per measurement] [engines…]
#   bench/compare.sh 10 sqlite postgres
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
shift || true
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(sqlite postgres)

if ! command -v wrk >/dev/null; then
  echo "installing wrk from Debian's packages…" >&2
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
baseline=../shared/perf-baseline
[ -f "$baseline/Cargo.toml" ] || { echo "no $baseline: the bare server to compare with" >&2; exit 2; }
# shared/ is read-only (in CI too): the bare server builds under our target/.
cargo build --release --locked -q --manifest-path "$baseline/Cargo.toml" --target-dir target/perf-baseline
cargo build --release -q -p sep -p sep-bench
# The crowd row opens 10,000 connections at once, on both sides of loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for engine in "${engines[@]}"; do
  ./target/release/sep-compare --engine "$engine" --seconds "$seconds"
done
# The cost curve: the same paths as the database grows a hundredfold and more.
for engine in "${engines[@]}"; do
  ./target/release/sep-compare --engine "$engine" --seconds "$seconds" --curve 1000,100000,1000000
done
