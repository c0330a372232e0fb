"""Questions the bootstrap asks about RabbitMQ: `amqp` (does it answer at AMQP_URI?), `is-local`
(is AMQP_URI on this machine?) and `management` (does the management API answer?).

Exit code 0 means yes.
"""
import os
import socket
import sys
from urllib.parse import urlsplit

import kombu
import requests

AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
LOCAL = {"localhost", "127.0.0.1", "::1", socket.gethostname()}


def management_uri():
    parts = urlsplit(AMQP_URI)
    default = f"http://{parts.username or 'guest'}:{parts.password or 'guest'}@{parts.hostname}:15672"
    return os.environ.get("RABBIT_API_URI", default)


def amqp():
    try:
        with kombu.Connection(AMQP_URI, connect_timeout=2) as conn:
            conn.connect()
        return True
    except Exception:  # any failure means "not reachable" to the caller
        return False


def management():
    try:
        return requests.get(f"{management_uri()}/api/overview", timeout=3).status_code == 200
    except requests.RequestException:
        return False


def is_local():
    return urlsplit(AMQP_URI).hostname in LOCAL


if __name__ == "__main__":
    question = {"amqp": amqp, "management": management, "is-local": is_local}[sys.argv[1]]
    sys.exit(0 if question() else 1)
