#!/usr/bin/env bash
# Runs every test of СЭП: unit and black-box tests on SQLite, then the black-box
# suite again on PostgreSQL (each test creates its own database and drops it).
# Starts PostgreSQL if it is installed but not running. With CI=true a missing
# PostgreSQL is a failure; elsewhere that pass is skipped with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${SEP_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export SEP_TEST_PG_URL="$PG_URL"

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

start_postgres() {
  pg_up && return 0
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "== starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_up && return 0; sleep 1; done
  fi
  return 1
}

# The browser test drives Debian's Chromium through chromedriver.
install_browser() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "== installing chromium and chromium-driver (Debian packages)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null; }
}

if ! install_browser; then
  if [ "${CI:-}" = "true" ]; then
    echo "Chromium and chromedriver could not be installed and CI=true: failing" >&2
    exit 1
  fi
  echo "== the browser test will be SKIPPED: no chromium/chromedriver and no apt-get"
fi

echo "== format"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets -- -D warnings

echo "== tests on SQLite"
cargo test --workspace

if start_postgres; then
  echo "== black-box tests on PostgreSQL"
  SEP_TEST_DB=postgres cargo test --workspace --test api
else
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not reachable at $PG_URL and CI=true: failing" >&2
    exit 1
  fi
  echo "== SKIPPED the PostgreSQL pass: no server at $PG_URL (install and start PostgreSQL to run it)"
fi
