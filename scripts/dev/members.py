#!/usr/bin/env python3
"""One-off: page handlers take `Member` (a logged-in visitor) and
`CheckedForm` (a CSRF-checked form) instead of repeating the checks."""
import re, sys
LOGIN = re.compile(r'\n(\s*)let (\w+) = match (\w+)\.require_login\((?:[^;\n])*?\) \{\n\s*Ok\(w\) => w\.clone\(\),\n\s*Err\(r\) => return Ok\(r\.into_response\(\)\),\n\s*\};')
LOGIN2 = re.compile(r'\n(\s*)if let Err\(r\) = (\w+)\.require_login\((?:[^;\n])*?\) \{\n\s*return Ok\(r\.into_response\(\)\);\n\s*\}')
CSRF = re.compile(r'\n\s*(\w+\.)?csrf\.check\(&(\w+)\.csrf\)\?;')
def fn_spans(src):
    """(start of signature, start of body, end of body) for each fn."""
    out = []
    for m in re.finditer(r'\n(pub(?:\([^)]*\))? )?(async )?fn \w+(<[^>]*>)?\(', src):
        i = src.index('{', m.end())
        # find matching brace of body
        depth, j = 0, i
        while True:
            if src[j] == '{': depth += 1
            elif src[j] == '}':
                depth -= 1
                if depth == 0: break
            j += 1
        out.append((m.start(), i, j))
    return out
for f in sys.argv[1:]:
    src = open(f).read()
    changed = True
    while changed:
        changed = False
        for start, body, end in reversed(fn_spans(src)):
            sig, code = src[start:body], src[body:end]
            m = LOGIN.search(code)
            who = None
            if m:
                who, var = m.group(2), m.group(3)
                code = code[:m.start()] + code[m.end():]
            else:
                m2 = LOGIN2.search(code)
                if m2:
                    who, var = '_', m2.group(2)
                    code = code[:m2.start()] + code[m2.end():]
            if who:
                sig2 = re.sub(rf'\b{var}: Visit\b', f'Member({var}, {who}): Member', sig, count=1)
                if sig2 == sig:
                    print(f'{f}: could not rewrite signature of {sig.strip()[:60]}'); continue
                sig = sig2
            c = CSRF.search(code)
            if c:
                form = c.group(2)
                sig2 = re.sub(rf'Form\({form}\): Form<', f'CheckedForm({form}): CheckedForm<', sig, count=1)
                if sig2 != sig:
                    sig = sig2
                    code = code[:c.start()] + code[c.end():]
            if sig + code != src[start:end]:
                src = src[:start] + sig + code + src[end:]
                changed = True
                break
    open(f, 'w').write(src)
