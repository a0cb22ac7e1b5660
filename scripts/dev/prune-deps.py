#!/usr/bin/env python3
"""Drops dependencies a crate's code never names (after a module moved out).
usage: prune-deps.py CRATE_DIR...   (src/ feeds [dependencies]; tests/ and
#[cfg(test)] code can only use what [dependencies] + [dev-dependencies] hold)"""
import re, sys, os, subprocess
def used(dirs, name):
    ident = name.replace('-', '_')
    pat = rf'(^|[^a-z0-9_:]){ident}::|use {ident}\b|(^|[^a-z0-9_:]){ident}!|extern crate {ident}'
    for d in dirs:
        if os.path.isdir(d) and subprocess.run(['grep', '-rqE', pat, d]).returncode == 0:
            return True
    return False
for crate in sys.argv[1:]:
    p = os.path.join(crate, 'Cargo.toml'); lines = open(p).read().split('\n')
    out, section = [], None
    for line in lines:
        m = re.match(r'^\[(.*)\]$', line)
        if m: section = m.group(1)
        dm = re.match(r'^([A-Za-z0-9_-]+)(\.workspace| =)', line)
        if dm and section in ('dependencies', 'dev-dependencies'):
            name = dm.group(1)
            dirs = [os.path.join(crate, 'src')] + ([os.path.join(crate, 'tests'), os.path.join(crate, 'benches')] if section == 'dev-dependencies' else [])
            # optional deps behind features are kept
            if 'optional' not in line and not used(dirs, name):
                print(f'{crate}: drop {section} {name}'); continue
        out.append(line)
    open(p, 'w').write('\n'.join(out))
