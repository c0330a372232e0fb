#!/usr/bin/env bash
# Make this machine ready to run the suite or its tests:
#   1. a virtual environment in .venv with the pinned dependencies (constraints.txt);
#   2. a reachable RabbitMQ: the one at AMQP_URI if it answers; else an installed rabbitmq-server,
#      started; else Debian's package installed and started (as root); else a message naming
#      exactly what to install.
# With --tests it also makes sure RabbitMQ's management API answers (the tests create a throwaway
# virtual host through it), enabling the plugin on a local broker when needed, and that Debian's
# chromium and chromium-driver are installed (the browser tests in tests/browser drive them).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}
export AMQP_URI

# --- Python 3.11 and the virtual environment --------------------------------------------------
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PYTHON=$candidate; break
    fi
  done
fi
apt_install() {  # as root, or through sudo; fails (status 1) when neither is possible
  command -v apt-get >/dev/null || return 1
  as_root apt-get update -qq || return 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ -z "$PYTHON" ]; then
  say "installing Python 3.11 from Debian's packages"
  apt_install python3.11 python3.11-venv \
    || die "Python 3.11 is needed: install it (Debian: sudo apt-get install python3.11 python3.11-venv)"
  PYTHON=python3.11
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $PYTHON"
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3.11-venv \
      || die "the venv module is missing: install it (Debian: sudo apt-get install python3.11-venv)"
    "$PYTHON" -m venv .venv
  fi
fi

stamp=.venv/.installed-$(cat constraints.txt pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "installing pinned dependencies into .venv"
  pip_install() {  # this machine's pip configuration warns about missing local mirrors: hide that noise
    .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt "$@" 2>&1 \
      | { grep -v '^WARNING: Location' || true; }
    return "${PIPESTATUS[0]}"
  }
  pip_install 'setuptools<81'
  pip_install -e '.[test,bench]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# --- RabbitMQ ----------------------------------------------------------------------------------
amqp_answers() { .venv/bin/python scripts/rabbitmq_probe.py amqp 2>/dev/null; }
local_broker() { .venv/bin/python scripts/rabbitmq_probe.py is-local; }

# A broker that answers and refuses (a virtual host that does not exist, a wrong user) is not
# started or installed again: that would fail after minutes with a message about something else.
amqp_status=0
.venv/bin/python scripts/rabbitmq_probe.py amqp || amqp_status=$?
if [ "$amqp_status" = 2 ]; then
  die "RabbitMQ at $AMQP_URI refused the connection: see the line above"
fi

if [ "$amqp_status" != 0 ]; then
  local_broker || die "RabbitMQ at $AMQP_URI does not answer, and it is not on this machine: start it or point AMQP_URI at one that runs"
  if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
    say "installing rabbitmq-server from Debian's packages"
    apt_install rabbitmq-server \
      || die "RabbitMQ is not running and not installed: install it (Debian: sudo apt-get install rabbitmq-server) or set AMQP_URI"
    # With systemd the package starts the broker itself; give it a moment before starting one.
    for _ in $(seq 1 20); do amqp_answers && break; sleep 1; done
  fi
  if ! amqp_answers; then
    say "starting rabbitmq-server"
    as_root rabbitmq-server -detached >/dev/null 2>&1 || die "could not start rabbitmq-server: start it by hand (sudo rabbitmq-server -detached)"
  fi
  for _ in $(seq 1 90); do amqp_answers && break; sleep 1; done
  amqp_answers || die "rabbitmq-server was started but does not answer at $AMQP_URI after 90 s"
fi

if [ "${1:-}" = "--tests" ] && ! .venv/bin/python scripts/rabbitmq_probe.py management; then
  local_broker || die "the tests need RabbitMQ's management API (RABBIT_API_URI); enable the rabbitmq_management plugin on your broker"
  say "enabling RabbitMQ's management plugin (the tests create a throwaway virtual host through it)"
  as_root rabbitmq-plugins enable rabbitmq_management >/dev/null \
    || die "could not enable the management plugin: run sudo rabbitmq-plugins enable rabbitmq_management"
  for _ in $(seq 1 60); do .venv/bin/python scripts/rabbitmq_probe.py management && break; sleep 1; done
  .venv/bin/python scripts/rabbitmq_probe.py management || die "RabbitMQ's management API does not answer"
fi

if [ "${1:-}" = "--tests" ] && ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
  say "installing Debian's chromium and chromium-driver (the browser tests drive them)"
  apt_install chromium chromium-driver \
    || die "the browser tests need Chromium: install it (Debian: sudo apt-get install chromium chromium-driver)"
fi

if [ "${1:-}" = "--tests" ] && [ ! -f tests/browser/axe/node_modules/axe-core/axe.min.js ]; then
  say "installing axe-core from npm (the browser tests' accessibility check, pinned in tests/browser/axe)"
  { command -v npm >/dev/null || apt_install npm; } \
    && npm ci --prefix tests/browser/axe --no-audit --no-fund >/dev/null \
    || die "the browser tests need axe-core: install npm, then run npm ci --prefix tests/browser/axe"
fi
