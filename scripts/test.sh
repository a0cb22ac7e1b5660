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

# The browser tests drive Debian's Chromium through chromedriver; the document
# tests read PDFs back with poppler (pdftotext, pdftoppm) and QR codes with zbar;
# signatures are checked with `openssl cms -verify`.
TOOLS=(/usr/bin/chromium /usr/bin/chromedriver /usr/bin/pdftotext /usr/bin/pdftoppm /usr/bin/zbarimg /usr/bin/openssl)
PACKAGES=(chromium chromium-driver poppler-utils zbar-tools openssl)

tools_present() {
  for t in "${TOOLS[@]}"; do [ -x "$t" ] || return 1; done
}

install_tools() {
  tools_present && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "== installing ${PACKAGES[*]} (Debian packages)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null; }
  tools_present
}

if ! install_tools; then
  if [ "${CI:-}" = "true" ]; then
    echo "The test tools (${PACKAGES[*]}) could not be installed and CI=true: failing" >&2
    exit 1
  fi
  echo "== tests needing ${PACKAGES[*]} will be SKIPPED: not installed and no apt-get"
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
