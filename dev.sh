#!/usr/bin/env bash
# The one set-up entry point on a fresh machine.
#   ./dev.sh app  [ARGS…]   start the desktop app (a demo workspace is offered when there is no data)
#   ./dev.sh test [PYTEST ARGS…]   run every test, lint and type check
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

# What the tests need from the system: poppler (pdftoppm, pdffonts) to look at PDFs, and the
# libraries Qt's offscreen platform and QtMultimedia load. Installed only when missing and when we may.
ensure_test_system_packages() {
    local need=()
    command -v pdftoppm >/dev/null || need+=(poppler-utils)
    command -v Xvfb >/dev/null || need+=(xvfb)
    ldconfig -p 2>/dev/null | grep -q libEGL.so.1 || need+=(libegl1)
    ldconfig -p 2>/dev/null | grep -q libxkbcommon.so.0 || need+=(libxkbcommon0)
    ldconfig -p 2>/dev/null | grep -q libfontconfig.so.1 || need+=(libfontconfig1)
    ldconfig -p 2>/dev/null | grep -q libGL.so.1 || need+=(libgl1)
    ldconfig -p 2>/dev/null | grep -q libdbus-1.so.3 || need+=(libdbus-1-3)
    ldconfig -p 2>/dev/null | grep -q libpulse.so.0 || need+=(libpulse0)  # QtMultimedia (camera)
    [ ${#need[@]} -eq 0 ] && return
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages for the tests: ${need[*]}" >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}

# What the app needs from the system to open a real window on an X11 desktop (Qt's xcb plugin).
# Desktop distributions usually have them; a minimal Debian does not.
ensure_app_system_packages() {
    [ "$(uname -s)" = Linux ] && [ -n "${DISPLAY:-}" ] || return 0
    ldconfig -p 2>/dev/null | grep -q libxcb-cursor.so.0 && return 0
    local pkgs=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
                libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libegl1 libfontconfig1
                libdbus-1-3 libpulse0)
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if ! command -v apt-get >/dev/null; then
        echo "缺少 Qt 图形库 libxcb-cursor0 等 / Qt's X11 libraries are missing: ${pkgs[*]}" >&2; return 0
    fi
    echo "Installing the libraries Qt needs for a window: ${pkgs[*]}" >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${pkgs[@]}" >/dev/null
}

cmd=${1:-app}; shift || true
case "$cmd" in
    app)  ensure_app_system_packages; ensure_env; exec .venv/bin/inspector-app "$@" ;;
    test) ensure_test_system_packages; ensure_env
          export QT_QPA_PLATFORM=offscreen
          exec .venv/bin/python -m pytest -n 2 "$@" ;;
    run)  ensure_env; exec .tools/bin/uv run --frozen --no-sync "$@" ;;
    *)    echo "usage: ./dev.sh app|test|run …" >&2; exit 2 ;;
esac
