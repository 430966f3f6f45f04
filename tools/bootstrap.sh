# Sourced by ./run and ./test: find Python 3.11/3.12, create .venv, install the project from the
# lock file. Reinstalls only when pyproject.toml or the lock file changed.
set -euo pipefail

SEATDESK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$SEATDESK_ROOT/.venv"
LOCK="$SEATDESK_ROOT/requirements.lock"

find_python() {
    for candidate in python3.11 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)'; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "SeatDesk needs Python 3.11 or 3.12 (pjsua2 has wheels for those only)." >&2
    return 1
}

# apt_install_missing PKG...: install the Debian packages that are not installed yet, as root only.
apt_install_missing() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "note: missing Debian packages (install them as root): ${missing[*]}" >&2
        return 0
    fi
    echo "installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Qt's runtime needs these on a minimal Debian (the xcb ones only for a real screen).
QT_RUNTIME_PACKAGES=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
    libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
    libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-wqy-microhei)

# The softphone's sound on Linux: pjsua2-python has no sound devices, so audio goes through
# sounddevice, which loads PortAudio's shared library (agent_app/phone/sound_bridge.py).
PHONE_AUDIO_PACKAGES=(libportaudio2)

ensure_venv() {
    local extras="$1"
    local python
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)"
        echo "creating $VENV with $python" >&2
        "$python" -m venv "$VENV"
    fi
    local stamp="$VENV/.seatdesk-installed"
    local want
    want="$(cat "$SEATDESK_ROOT/pyproject.toml" "$LOCK" | sha256sum | cut -c1-16)-$extras"
    if [ ! -f "$stamp" ] || ! grep -qx -- "$want" "$stamp"; then
        echo "installing SeatDesk into .venv ..." >&2
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
            -c "$LOCK" -e "$SEATDESK_ROOT$extras"
        echo "$want" >"$stamp"
    fi
}
