# Shared by the bench scripts: `timed CMD...` prints "seconds peak_mb" (wall time and maximum
# resident set size from /usr/bin/time -v); `median` reads numbers on stdin.
timed() {
  local out wall kb
  out=$( { /usr/bin/time -v "$@" >/dev/null; } 2>&1 || true)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' <<<"$out")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$out")
  python3 -c 'import sys; p=sys.argv[1].split(":"); s=float(p[-1])+60*float(p[-2] if len(p)>1 else 0)+3600*float(p[-3] if len(p)>2 else 0); print(f"{s:.3f} {int(sys.argv[2])/1024:.0f}")' "$wall" "$kb"
}
median() { python3 -c 'import sys,statistics; print(f"{statistics.median(float(x) for x in sys.stdin.read().split()):.3f}")'; }
