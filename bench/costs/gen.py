#!/usr/bin/env python3
# gen.py KIND N: one Go file of a cost case on standard output (bench/costs.sh).
#   locks        one function of N conditional mu.Lock()/mu.Unlock() pairs
#   complit      one composite literal of about N bytes
#   closurenest  N nested func() { ... }() statements
#   structnest   a struct type nested N deep
#   gonest       N nested go func() { ... }() statements
import sys
kind, n = sys.argv[1], int(sys.argv[2])
w = sys.stdout.write
w("package p\n\n")
if kind == "locks":
    w('import "sync"\n\nvar mu sync.Mutex\nvar x int\n\nfunc F(c []bool) {\n')
    for i in range(n):
        w(f"\tif c[{i}] {{\n\t\tmu.Lock()\n\t}}\n\tx++\n\tif c[{i}] {{\n\t\tmu.Unlock()\n\t}}\n")
    w("}\n")
elif kind == "complit":
    w("var X = []map[string][]int{\n")
    line = '\t{"k": {1, 2, 3, 4, 5, 6, 7, 8}, "v": {9, 10}},\n'
    for i in range(n // len(line)):
        w(line)
    w("}\n")
elif kind == "closurenest":
    w("func F() int {\n\tx := 0\n" + "func() {\n" * n + "x++\n" + "}()\n" * n + "\treturn x\n}\n")
elif kind == "structnest":
    w("type S " + "struct{ a " * n + "int" + " }" * n + "\n")
elif kind == "gonest":
    w("func F(ch chan int) {\n" + "go func() {\n" * n + "ch <- 1\n" + "}()\n" * n + "}\n")
else:
    sys.exit(f"unknown kind {kind}")
