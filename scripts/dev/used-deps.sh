#!/usr/bin/env bash
# Which workspace dependencies the Rust files under DIR name (for Cargo.toml).
cd "$(dirname "$0")/../.."
names=$(sed -n '/^\[workspace.dependencies\]/,/^\[/p' Cargo.toml | grep -oE '^[a-z0-9_-]+' )
for n in $names; do
  id=${n//-/_}
  if grep -rqE "(^|[^a-z0-9_:])$id::|use $id\b|(^|[^a-z0-9_:])$id!" "$1"; then echo -n "$n "; fi
done; echo
