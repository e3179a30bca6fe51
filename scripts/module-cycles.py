#!/usr/bin/env python3
"""The import graph of src/'s top-level modules, from the `crate::` paths outside #[cfg(test)]:
prints the number of modules and every cycle among them, with the files that make each edge.

    scripts/module-cycles.py [SRC] [--edges]    # --edges also lists what each module imports

tests/architecture.rs enforces the order of docs/architecture.md; this script shows the graph."""
import re, os, sys, collections
args = [a for a in sys.argv[1:] if not a.startswith('--')]
root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
def strip_tests(text):
    # drop #[cfg(test)] items: the attribute and the following braced item
    out = []; i = 0
    while True:
        j = text.find('#[cfg(test)]', i)
        if j < 0: out.append(text[i:]); break
        out.append(text[i:j])
        k = text.find('{', j)
        semi = text.find(';', j)
        if semi != -1 and semi < k:
            i = semi + 1; continue
        depth = 0; p = k
        while p < len(text):
            if text[p] == '{': depth += 1
            elif text[p] == '}':
                depth -= 1
                if depth == 0: break
            p += 1
        i = p + 1
    return ''.join(out)
def strip_comments(text):
    text = re.sub(r'//[^\n]*', '', text)
    return text
def top_of(path):
    rel = os.path.relpath(path, root)
    first = rel.split(os.sep)[0]
    return first[:-3] if first.endswith('.rs') else first
def refs(text):
    mods = set()
    for m in re.finditer(r'crate::(\{[^}]*\}|\w+)(?!\w*!)', text):
        g = m.group(1)
        if g.startswith('{'):
            for part in re.split(r'[,\s]+', g[1:-1]):
                part = part.split('::')[0].strip()
                if part: mods.add(part)
        else:
            mods.add(g)
    return mods
edges = collections.defaultdict(lambda: collections.defaultdict(list))
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith('.rs'): continue
        p = os.path.join(d, f)
        top = top_of(p)
        if top in ('main', 'lib'): continue
        t = strip_comments(strip_tests(open(p).read()))
        for m in refs(t):
            if m != top and m not in ('fxhash',):
                edges[top][m].append(os.path.relpath(p, root))
nodes = sorted(set(edges) | {m for v in edges.values() for m in v})
# tarjan
index = {}; low = {}; stack = []; on = set(); sccs = []; c = [0]
def strong(v):
    index[v] = low[v] = c[0]; c[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, {}):
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
for v in nodes:
    if v not in index: strong(v)
cyc = [s for s in sccs if len(s) > 1]
print(f"{len(nodes)} top-level modules; {len(cyc)} cycles")
for s in cyc:
    print(f"cycle of {len(s)}: {', '.join(sorted(s))}")
    for a in sorted(s):
        for b in sorted(edges[a]):
            if b in s:
                print(f"  {a} -> {b}: {', '.join(sorted(set(edges[a][b])))}")
if '--edges' in sys.argv:
    for a in sorted(edges):
        print(f"{a}: {', '.join(sorted(edges[a]))}")
