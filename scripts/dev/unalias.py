#!/usr/bin/env python3
"""After repath.py: a file that imported a moved module by its old name
(`use crate::audit;`, now `use sep_audit;`) names it by the crate instead.
usage: unalias.py CRATE OLDNAME FILE..."""
import re, sys
crate, old = sys.argv[1], sys.argv[2]
for f in sys.argv[3:]:
    s = open(f).read()
    if not re.search(rf'^\s*(pub(\([^)]*\))? )?use {crate}(;|::\{{self)', s, re.M):
        continue
    s = re.sub(rf'^(\s*)use {crate};\n', '', s, flags=re.M)
    s = re.sub(rf'use {crate}::\{{self, ', f'use {crate}::{{', s)
    s = re.sub(rf'(?<![\w:]){old}::', f'{crate}::', s)
    open(f, 'w').write(s)
