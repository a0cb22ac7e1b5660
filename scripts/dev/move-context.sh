#!/usr/bin/env bash
# Moves crates/sep/src/<ctx> into crates/<ctx> (crate sep-<ctx>).
# usage: move-context.sh CTX "description" "extra-dep extra-dep ..." "sep-crate-dep ..."
set -euo pipefail
cd "$(dirname "$0")/../.."
ctx=$1 desc=$2 extra=$3 inner=${4:-}
crate=sep-$ctx; ident=sep_$ctx
mkdir -p crates/$ctx
git mv crates/sep/src/$ctx crates/$ctx/src
git mv crates/$ctx/src/mod.rs crates/$ctx/src/lib.rs
if [ -d crates/sep/templates/$ctx ]; then
  mkdir -p crates/$ctx/templates
  git mv crates/sep/templates/$ctx crates/$ctx/templates/$ctx
  cp crates/sep/askama.toml crates/$ctx/askama.toml
fi
{
  cat <<TOML
[package]
name = "$crate"
description = "$desc"
edition.workspace = true
version.workspace = true
license.workspace = true
rust-version.workspace = true
publish = false

[dependencies]
sep-kernel.workspace = true
sep-platform.workspace = true
sep-audit.workspace = true
sep-web.workspace = true
sep-identity.workspace = true
TOML
  for d in $inner; do echo "$d.workspace = true"; done
  for d in anyhow askama async-trait axum axum-extra chrono sea-orm sea-orm-migration serde serde_json tokio tracing uuid $extra; do echo "$d.workspace = true"; done
  printf '\n[dev-dependencies]\nproptest.workspace = true\n'
} > crates/$ctx/Cargo.toml
sed -i "s/^sep-kernel = /$crate = { path = \"crates\/$ctx\" }\nsep-kernel = /" Cargo.toml
sed -i "s/^sep-identity.workspace = true/sep-identity.workspace = true\n$crate.workspace = true/" crates/sep/Cargo.toml bench/Cargo.toml
echo "$ctx $ident" >> scripts/dev/map.txt
python3 scripts/dev/repath.py scripts/dev/map.txt $ident crate $(find crates/$ctx/src -name '*.rs')
python3 scripts/dev/repath.py scripts/dev/map.txt sep crate $(find crates/sep/src -name '*.rs')
python3 scripts/dev/repath.py scripts/dev/map.txt sep sep $(find crates/sep/tests bench -name '*.rs')
python3 scripts/dev/unalias.py $ident $ctx $(find crates/sep/src crates/sep/tests bench -name '*.rs')
sed -i "/^pub mod $ctx;/d" crates/sep/src/lib.rs
