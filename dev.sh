#!/usr/bin/env bash
# The one set-up entry point on a fresh machine.
#   ./dev.sh app  [ARGS…]   start the desktop app (a demo workspace is offered when there is no data)
#   ./dev.sh test [PYTEST ARGS…]   run every test, lint and type check (what CI runs)
#   ./dev.sh quick [PYTEST ARGS…]  the fast lane for day-to-day work: no slow, PostgreSQL or bundle tests
#   ./dev.sh run  CMD [ARGS…]      run a command inside the project environment (inspector-central, bench …)
set -euo pipefail
cd "$(dirname "$0")"
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1

pick_python() {
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"; return
        fi
    done
    echo "Python 3.11 或更新版本未找到 / Python >= 3.11 is required" >&2; exit 1
}

ensure_env() {
    local py; py=$(pick_python)
    if [ ! -x .tools/bin/uv ]; then
        "$py" -m venv .tools
        .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
    fi
    .tools/bin/uv sync --quiet --frozen --python "$py"
}

# The Debian packages, of "package:library" pairs, whose shared library the system lacks.
missing_libraries() {
    local pair
    for pair in "$@"; do
        ldconfig -p 2>/dev/null | grep -q "${pair#*:}" || echo "${pair%%:*}"
    done
}

# apt-get install PURPOSE PACKAGE…, as root or through sudo; says what and why first.
install_system_packages() {
    local purpose=$1; shift
    [ $# -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        echo "缺少系统软件包 / missing system packages ($purpose): $*" >&2; return 0
    fi
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages for $purpose: $*" >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# The libraries Qt loads for the offscreen platform and QtMultimedia (the camera).
QT_LIBRARIES=(libegl1:libEGL.so.1 libxkbcommon0:libxkbcommon.so.0 libfontconfig1:libfontconfig.so.1
              libgl1:libGL.so.1 libdbus-1-3:libdbus-1.so.3 libpulse0:libpulse.so.0)

# What the tests need from the system: poppler (pdftoppm, pdffonts) to look at PDFs, Xvfb, and the
# Qt libraries. Installed only when missing and when we may.
ensure_test_system_packages() {
    local need=()
    command -v pdftoppm >/dev/null || need+=(poppler-utils)
    command -v Xvfb >/dev/null || need+=(xvfb)
    command -v chromium >/dev/null || need+=(chromium)  # the office console's browser tests (Playwright drives it)
    mapfile -t -O ${#need[@]} need < <(missing_libraries "${QT_LIBRARIES[@]}")
    install_system_packages "the tests" "${need[@]}"
}

# What the app needs from the system to open a real window on an X11 desktop (Qt's xcb plugin).
# Desktop distributions usually have them; a minimal Debian does not. Each library is checked:
# some images carry libxcb-cursor0 but not libxcb-icccm4, and Qt then refuses the xcb plugin.
ensure_app_system_packages() {
    [ "$(uname -s)" = Linux ] && [ -n "${DISPLAY:-}" ] || return 0
    local need
    mapfile -t need < <(missing_libraries "${QT_LIBRARIES[@]}" \
        libxcb-cursor0:libxcb-cursor.so.0 libxcb-icccm4:libxcb-icccm.so.4 \
        libxcb-keysyms1:libxcb-keysyms.so.1 libxcb-shape0:libxcb-shape.so.0 libxcb-xkb1:libxcb-xkb.so.1 \
        libxkbcommon-x11-0:libxkbcommon-x11.so.0 libxcb-render-util0:libxcb-render-util.so.0 \
        libxcb-image0:libxcb-image.so.0 libxcb-randr0:libxcb-randr.so.0 \
        libxcb-xinerama0:libxcb-xinerama.so.0)
    install_system_packages "a window on the desktop" "${need[@]}"
}

cmd=${1:-app}; shift || true
case "$cmd" in
    app)  ensure_app_system_packages; ensure_env; exec .venv/bin/inspector-app "$@" ;;
    test) ensure_test_system_packages; ensure_env
          export QT_QPA_PLATFORM=offscreen
          exec .venv/bin/python -m pytest -n 2 "$@" ;;
    quick) ensure_test_system_packages; ensure_env
          export QT_QPA_PLATFORM=offscreen
          exec .venv/bin/python -m pytest -n 2 -m "not slow and not postgres" "$@" ;;
    run)  ensure_env; exec .tools/bin/uv run --frozen --no-sync "$@" ;;
    *)    echo "usage: ./dev.sh app|test|quick|run …" >&2; exit 2 ;;
esac
