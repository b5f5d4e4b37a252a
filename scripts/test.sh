#!/usr/bin/env bash
# Install everything the tests need and run them (the README's second command; .ci/run runs it).
#   - Debian packages for the browser and database tests (chromium, postgresql), when run as root
#     or with sudo; without them those tests skip and say why.
#   - a virtual environment in .venv with newsgraph and its test extra.
#   - a real PostgreSQL on loopback (.ci/services.sh), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; }; then
    need=()
    [ -x /usr/bin/chromium ] || need+=(chromium)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
    if [ ${#need[@]} -gt 0 ]; then
        echo "test.sh: installing Debian packages: ${need[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq "${need[@]}" >&2 \
            || echo "test.sh: could not install ${need[*]}; their tests will skip" >&2
    fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >&2
.venv/bin/python -m pip install -q -e ".[test]" >&2

if [ "$(id -u)" = 0 ] && [ -f .ci/services.sh ]; then
    # shellcheck source=/dev/null
    source .ci/services.sh || echo "test.sh: PostgreSQL did not start; its tests will skip" >&2
fi

exec .venv/bin/python -m pytest -q "$@"
