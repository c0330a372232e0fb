"""Fixtures every test layer shares: throwaway RabbitMQ virtual hosts.

The vhost is created through RabbitMQ's management API (RABBIT_API_URI, derived from AMQP_URI by
default), so that a suite started with `make run` on the same broker is never disturbed.
"""
import os
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import requests
from hypothesis import settings

# Under CI the property tests draw a fixed sequence of examples: a red CI run is reproducible,
# never a roll of the dice. Run locally, they explore new examples every time.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


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
