"""Questions the bootstrap asks about RabbitMQ: `amqp` (does it answer at AMQP_URI?), `is-local`
(is AMQP_URI on this machine?) and `management` (does the management API answer?).

Exit code 0 means yes. `amqp` exits 2 when a broker answers but refuses the connection (its
virtual host does not exist, or the user or its permissions are wrong) and says on stderr what to
do: starting or installing RabbitMQ would not help then, and the bootstrap must not try.
"""
import os
import socket
import sys
from urllib.parse import unquote, urlsplit

import kombu
from amqp import exceptions as amqp_errors
import requests

AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
LOCAL = {"localhost", "127.0.0.1", "::1", socket.gethostname()}


def management_uri():
    parts = urlsplit(AMQP_URI)
    default = f"http://{parts.username or 'guest'}:{parts.password or 'guest'}@{parts.hostname}:15672"
    return os.environ.get("RABBIT_API_URI", default)


def vhost_of(uri):
    path = urlsplit(uri).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def refusal(error, uri=AMQP_URI):
    """What to tell the person when a broker answered `uri` and refused (None: not a refusal)."""
    vhost = vhost_of(uri)
    user = urlsplit(uri).username or "guest"
    if isinstance(error, amqp_errors.NotAllowed) and "vhost" in str(error):
        return (f"RabbitMQ answers, but its virtual host {vhost!r} does not exist. Create it "
                f"(each installation on one broker has its own): sudo rabbitmqctl add_vhost "
                f"{vhost} && sudo rabbitmqctl set_permissions -p {vhost} {user} '.*' '.*' '.*'")
    if isinstance(error, (amqp_errors.AccessRefused, amqp_errors.NotAllowed)):
        return (f"RabbitMQ answers, but refuses user {user!r} on virtual host {vhost!r} "
                f"({error}). Check the user, its password and its permissions there: "
                f"sudo rabbitmqctl set_permissions -p {vhost} {user} '.*' '.*' '.*'")
    return None


def amqp():
    """0 when the broker answers, 1 when none does, 2 when one answers and refuses."""
    try:
        with kombu.Connection(AMQP_URI, connect_timeout=2) as conn:
            conn.connect()
        return 0
    except Exception as error:  # anything else means "not reachable" to the caller
        explained = refusal(error)
        if explained is None:
            return 1
        print(explained, file=sys.stderr)
        return 2


def management():
    try:
        return requests.get(f"{management_uri()}/api/overview", timeout=3).status_code == 200
    except requests.RequestException:
        return False


def is_local():
    return urlsplit(AMQP_URI).hostname in LOCAL


if __name__ == "__main__":
    if sys.argv[1] == "amqp":
        sys.exit(amqp())
    question = {"management": management, "is-local": is_local}[sys.argv[1]]
    sys.exit(0 if question() else 1)
