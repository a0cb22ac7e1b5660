#!/usr/bin/env bash
# The inner loop, measured: a real one-line edit in a context's service and in
# a leaf crate (each put back afterwards), then the wall time of `cargo build`
# (the `sep` binary) and of `cargo test --no-run` (every test binary of the
# default member). Run it on an idle machine; its figures go in the README.
#
#   scripts/build-times.sh            # the edits below
#   scripts/build-times.sh FILE...    # edits of your own choosing
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(
  crates/payments/src/service/fees.rs   # a context's service
  crates/identity/src/model/role.rs     # the context every other one stands on
  crates/pdf/src/qr.rs                  # a leaf crate
  crates/contracts/src/catalog.rs       # a contract every context reads
)
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
echo "warming up (a full dev build)…" >&2
cargo build -q && cargo test -q --no-run >/dev/null 2>&1
printf '| edited file | `cargo build` | `cargo test --no-run` |\n|---|---|---|\n'
for f in "${files[@]}"; do
  cp "$f" "$f.orig"
  trap 'mv -f "$f.orig" "$f"' EXIT
  # A new private item changes the crate's code, as a real edit does.
  printf '\n#[allow(dead_code)]\nfn build_times_probe() -> u32 { %d }\n' "$RANDOM" >>"$f"
  b=$(seconds cargo build)
  printf '\n#[allow(dead_code)]\nfn build_times_probe_2() -> u32 { %d }\n' "$RANDOM" >>"$f"
  t=$(seconds cargo test --no-run)
  mv -f "$f.orig" "$f"; trap - EXIT
  printf '| `%s` | %.1f s | %.1f s |\n' "$f" "$b" "$t"
done
# Put the build back as it was, so the next command starts from the real code.
cargo build -q && cargo test -q --no-run >/dev/null 2>&1
