#!/usr/bin/env bash
# Builds the benchmark in release mode and runs it on SQLite and PostgreSQL.
# Usage: bench/run.sh [seconds per phase] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
concurrency="${2:-16}"
cargo build --release -p sep-bench
for engine in sqlite postgres; do
  echo "== $engine"
  SEP_LOG=error ./target/release/sep-bench --engine "$engine" --seconds "$seconds" --concurrency "$concurrency"
done
