#!/usr/bin/env bash
# Builds the release artefacts of the host (Linux x86-64) into dist/:
#   goaudit-VERSION-py3-none-manylinux2014_x86_64...whl   the wheel `pip install goaudit` takes
#   goaudit-VERSION-x86_64-unknown-linux-gnu.tar.gz       the standalone binary (+ LICENSE, README)
#   SHA256SUMS                                            checksums of both
# Both carry one binary, linked by zig against glibc 2.17 (manylinux2014), stripped. The tools
# (maturin, ziglang) are the pinned ones of packaging/requirements.txt, in target/dist-tools.
# docs/releasing.md says how the other platforms are built and how a release is published.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/target/dist-tools/venv
out=$root/dist

scripts/dist-tools.sh
export PATH="$venv/bin:$PATH" # maturin finds zig through this Python (`python -m ziglang`)

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
rm -rf "$out"
mkdir -p "$out"
(cd packaging/pypi && maturin build --release --zig --compatibility manylinux2014 --out "$out" --quiet)

wheel=$(ls "$out"/goaudit-"$version"-*.whl)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
name=goaudit-$version-x86_64-unknown-linux-gnu
mkdir "$stage/$name"
python3 - "$wheel" "$stage/$name/goaudit" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    member = next(n for n in z.namelist() if n.endswith(".data/scripts/goaudit"))
    with z.open(member) as src, open(dest, "wb") as dst:
        dst.write(src.read())
os.chmod(dest, 0o755)
PY
cp LICENSE README.md "$stage/$name/"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum -- *.whl *.tar.gz >SHA256SUMS)
echo "built into dist/:"
ls -1 "$out"
