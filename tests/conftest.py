"""Fixtures every test layer shares: throwaway RabbitMQ virtual hosts, and a report of every
green thread's stack when a test hangs.

The vhost is created through RabbitMQ's management API (RABBIT_API_URI, derived from AMQP_URI by
default), so that a suite started with `make run` on the same broker is never disturbed.
"""
import gc
import os
import sys
import threading
import traceback
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import greenlet
import pytest
import requests

# Hypothesis loads its plugins on import, among them trio's (installed with selenium for the
# browser tests); under `nameko test` the socket module is eventlet's, on which importing trio
# fails. No test uses a Hypothesis plugin.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
from hypothesis import settings  # noqa: E402

from tests.integration.suite_process import SuiteProcess  # noqa: E402

# Under CI the property tests draw a fixed sequence of examples: a red CI run is reproducible,
# never a roll of the dice. Run locally, they explore new examples every time.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The embedded store refuses what MongoDB refuses, in this process and in the suites it starts.
os.environ["EMBEDDED_STRICT"] = "1"
AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
HANG_REPORT_SECONDS = 300  # the slowest test takes under a minute


def report_green_threads(config, test_id):
    """A hung test waits in some green thread while the hub polls: faulthandler would show only
    the hub, so print where every green thread stands, past pytest's capture (a test that never
    ends never shows what it captured)."""
    stacks = ["".join(traceback.format_stack(thread.gr_frame)) for thread in gc.get_objects()
              if isinstance(thread, greenlet.greenlet) and thread.gr_frame is not None]
    with config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(f"\n*** {test_id} still runs after {HANG_REPORT_SECONDS} s; its green threads:\n"
              + "--- green thread\n".join(stacks), file=sys.stderr, flush=True)


@pytest.fixture(autouse=True)
def hang_report(request):
    # A real OS thread: under `nameko test` threading is green, and a green timer would wait
    # on the very hub that is stuck.
    eventlet = sys.modules.get("eventlet")
    real = eventlet.patcher.original("threading") if eventlet else threading
    watchdog = real.Timer(HANG_REPORT_SECONDS, report_green_threads,
                          args=(request.config, request.node.nodeid))
    watchdog.daemon = True
    watchdog.start()
    yield
    watchdog.cancel()


def management_api():
    parts = urlsplit(AMQP_URI)
    default = (f"http://{parts.username or 'guest'}:{parts.password or 'guest'}"
               f"@{parts.hostname}:15672")
    return os.environ.get("RABBIT_API_URI", default).rstrip("/")


def amqp_uri_for(vhost):
    parts = urlsplit(AMQP_URI)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))


@pytest.fixture(scope="session")
def new_amqp_uri():
    """Makes throwaway virtual hosts (each suite under test needs its own: two suites on one
    vhost would serve each other's RPC calls) and removes them at the end of the session."""
    api, user = management_api(), urlsplit(AMQP_URI).username or "guest"
    made = []

    def make():
        name = f"servicedesk-test-{uuid.uuid4().hex[:8]}"
        path = quote(name, safe="")
        answer = requests.put(f"{api}/api/vhosts/{path}", timeout=10)
        assert answer.status_code in (201, 204), f"cannot create a vhost through {api}: {answer.text}"
        requests.put(f"{api}/api/permissions/{path}/{user}",
                     json={"configure": ".*", "write": ".*", "read": ".*"},
                     timeout=10).raise_for_status()
        made.append(path)
        return amqp_uri_for(name)

    yield make
    for path in made:
        requests.delete(f"{api}/api/vhosts/{path}", timeout=30)


@pytest.fixture(scope="session")
def amqp_uri(new_amqp_uri):
    return new_amqp_uri()


# -- the running suite, shared by the integration and browser layers --------------------------
# One per session: two suites on the session's one virtual host would serve each other's RPCs.

@pytest.fixture(scope="session")
def suite(amqp_uri, tmp_path_factory):
    process = SuiteProcess(amqp_uri, tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("run"))
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def acme(suite):
    return suite.admin("acme")


@pytest.fixture(scope="session")
def globex(suite):
    return suite.admin("globex")
