#!/usr/bin/env python3
# gen-packages.py DIR N MODE (bench/costs.sh):
# N one-function packages; MODE layered = 100 packages a layer, each importing 5
# packages of the layer before; chain = each imports the previous one; indep = no imports.
import os, sys, random
root, N, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(1)
os.makedirs(root, exist_ok=True)
open(os.path.join(root, "go.mod"), "w").write("module fuzz\n\ngo 1.22\n")
for i in range(N):
    L = i // 100
    d = os.path.join(root, f"p{L:03d}", f"q{i:05d}")
    os.makedirs(d, exist_ok=True)
    if mode == "layered":
        imps = sorted({f"fuzz/p{L-1:03d}/q{(L-1)*100 + rng.randrange(100):05d}" for _ in range(5)}) if L else []
    elif mode == "chain":
        imps = [f"fuzz/p{(i-1)//100:03d}/q{i-1:05d}"] if i else []
    else:
        imps = []
    imp = "".join(f'import _ "{p}"\n' for p in imps)
    open(os.path.join(d, "a.go"), "w").write(f"package q{i:05d}\n\n{imp}\nfunc F{i}(x int) int {{ return x + {i} }}\n")
