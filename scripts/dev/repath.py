#!/usr/bin/env python3
"""Rewrites Rust paths when modules of the `sep` crate move into crates of their
own. Used while splitting the workspace; kept for the next move.

usage: repath.py MAP_FILE OWN_CRATE ROOT FILE...
  MAP_FILE   lines `old::module::path new_crate::path` (old paths from sep's root)
  OWN_CRATE  the crate the FILEs now belong to (`sep_kernel`, `sep`, …)
  ROOT       how the FILEs name the old sep root: `crate` or `sep`
"""
import re, sys

def load(path):
    rules = []
    for line in open(path):
        line = line.split('#')[0].strip()
        if line:
            old, new = line.split()
            rules.append((old.split('::'), new.split('::')))
    rules.sort(key=lambda r: -len(r[0]))
    return rules

def remap(segs, rules, own):
    """segs: path after the old root. Returns the new absolute path or None."""
    for old, new in rules:
        if segs[:len(old)] == old:
            out = new + segs[len(old):]
            break
    else:
        return None
    if out[0] == own:
        out = ['crate'] + out[1:]
    return out

def split_top(body):
    parts, depth, cur = [], 0, ''
    for ch in body:
        if ch == '{': depth += 1
        if ch == '}': depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur); cur = ''
        else:
            cur += ch
    parts.append(cur)
    return [re.sub(r'\s+', ' ', p).strip() for p in parts if p.strip()]

def flatten(prefix, tree):
    """`a::{b, c::{d as e}}` -> [(['a','b'], None), (['a','c','d'], 'e')]"""
    tree = tree.strip()
    m = re.match(r'^(.*?)::\{(.*)\}$', tree, re.S)
    if tree.startswith('{') and tree.endswith('}'):
        out = []
        for p in split_top(tree[1:-1]):
            out += flatten(prefix, p)
        return out
    if m and '{' not in m.group(1):
        head = [s.strip() for s in m.group(1).split('::')]
        out = []
        for p in split_top(m.group(2)):
            out += flatten(prefix + head, p)
        return out
    alias = None
    am = re.match(r'^(.*?)\s+as\s+(\w+)$', tree)
    if am:
        tree, alias = am.group(1), am.group(2)
    segs = [s.strip() for s in tree.split('::')]
    if segs[-1] == 'self':
        segs = segs[:-1]
        alias = alias or None
    return [(prefix + segs, alias)]

def render_use(vis, paths):
    by_root = {}
    for segs, alias in paths:
        by_root.setdefault(segs[0], []).append((segs[1:], alias))
    out = []
    for root, items in by_root.items():
        names = []
        for rest, alias in items:
            name = '::'.join(rest) if rest else 'self'
            if alias: name += ' as ' + alias
            names.append(name)
        if len(names) == 1 and names[0] != 'self':
            out.append(f'{vis}use {root}::{names[0]};')
        elif names == ['self']:
            out.append(f'{vis}use {root};')
        else:
            out.append(f'{vis}use {root}::{{{", ".join(names)}}};')
    return '\n'.join(out)

def rewrite(src, rules, own, root):
    r = re.escape(root)
    def use_group(m):
        vis, body = m.group(1) or '', m.group(2)
        paths = flatten([], body)
        changed = False
        result = []
        for segs, alias in paths:
            new = remap(segs, rules, own)
            if new is None:
                new = ([root] if root == 'crate' else [root]) + segs
                if root != 'crate' and own != root:
                    pass
            else:
                changed = True
            result.append((new, alias))
        if not changed:
            return m.group(0)
        return render_use(vis, result)
    src = re.sub(r'((?:pub(?:\([^)]*\))?\s+)?)use\s+' + r + r'::([^;]*?\{[^;]*\});', use_group, src, flags=re.S)
    def inline(m):
        segs = m.group(1).split('::')
        # try the longest known prefix
        new = remap(segs, rules, own)
        return '::'.join(new) if new else m.group(0)
    src = re.sub(r'(?<![\w:$])' + r + r'::((?:[A-Za-z_][A-Za-z0-9_]*)(?:::[A-Za-z_][A-Za-z0-9_]*)*)', inline, src)
    return src

def main():
    rules = load(sys.argv[1]); own = sys.argv[2]; root = sys.argv[3]
    for f in sys.argv[4:]:
        src = open(f).read()
        new = rewrite(src, rules, own, root)
        if new != src:
            open(f, 'w').write(new)

main()
