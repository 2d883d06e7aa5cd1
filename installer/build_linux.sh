#!/usr/bin/env bash
# Build the Linux one-folder bundle, pack it as a tarball and smoke-test the unpacked copy.
#
#   installer/build_linux.sh [--dist DIR] [--work DIR] [--python PY] [--no-smoke] [--clean]
#
# Result: DIST/inspector-app/ (the bundle) and DIST/inspector-app-VERSION-linux-ARCH.tar.gz.
# The last line printed is the tarball's path. Figures (seconds, MiB) go to DIST/build-figures.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST="$ROOT/installer/dist"
WORK="$ROOT/installer/build"
PY="$ROOT/.venv/bin/python"
SMOKE=1
CLEAN=()
while [ $# -gt 0 ]; do
    case "$1" in
        --dist) DIST=$(realpath -m "$2"); shift 2 ;;
        --work) WORK=$(realpath -m "$2"); shift 2 ;;
        --python) PY="$2"; shift 2 ;;
        --no-smoke) SMOKE=0; shift ;;
        --clean) CLEAN=(--clean); shift ;;
        *) echo "usage: $0 [--dist DIR] [--work DIR] [--python PY] [--no-smoke] [--clean]" >&2; exit 2 ;;
    esac
done

VERSION=$("$PY" -c 'import importlib.metadata as m; print(m.version("inspector-app"))')
ARCH=$(uname -m)
NAME="inspector-app-$VERSION-linux-$ARCH"
mkdir -p "$DIST" "$WORK"

t0=$(date +%s.%N)
echo "== PyInstaller: inspector-app $VERSION" >&2
(cd "$ROOT" && "$PY" -m PyInstaller --noconfirm "${CLEAN[@]}" --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" installer/inspector-app.spec) >&2
t1=$(date +%s.%N)

BUNDLE="$DIST/inspector-app"
# The build's own record of what it is: shown by IT staff, read by nobody else.
{
    echo "inspector-app $VERSION"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sm)"
    git -C "$ROOT" rev-parse --short HEAD 2>/dev/null | sed 's/^/commit /' || true
} > "$BUNDLE/VERSION.txt"
cp "$ROOT/installer/README.md" "$BUNDLE/README-installer.md" 2>/dev/null || true

echo "== tarball" >&2
rm -rf "${DIST:?}/$NAME" && cp -a "$BUNDLE" "$DIST/$NAME"
tar -C "$DIST" -cf - "$NAME" | gzip -6 > "$DIST/$NAME.tar.gz"
rm -rf "${DIST:?}/$NAME"
t2=$(date +%s.%N)

bundle_mib=$(du -sm "$BUNDLE" | cut -f1)
tar_mib=$(du -m "$DIST/$NAME.tar.gz" | cut -f1)
{
    echo "version $VERSION"
    printf 'pyinstaller_seconds %.1f\n' "$(awk "BEGIN{print $t1 - $t0}")"
    printf 'tarball_seconds %.1f\n' "$(awk "BEGIN{print $t2 - $t1}")"
    echo "bundle_mib $bundle_mib"
    echo "tarball_mib $tar_mib"
} > "$DIST/build-figures.txt"

if [ "$SMOKE" = 1 ]; then
    echo "== smoke test of the unpacked tarball (no Python on PATH, no project on sys.path)" >&2
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    tar -C "$scratch" -xzf "$DIST/$NAME.tar.gz"
    exe="$scratch/$NAME/inspector-app"
    env -i HOME="$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$exe" --version >&2
    s0=$(date +%s.%N)
    env -i HOME="$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$exe" --self-test >&2
    s1=$(date +%s.%N)
    printf 'selftest_seconds %.2f\n' "$(awk "BEGIN{print $s1 - $s0}")" >> "$DIST/build-figures.txt"
fi
cat "$DIST/build-figures.txt" >&2
echo "$DIST/$NAME.tar.gz"
