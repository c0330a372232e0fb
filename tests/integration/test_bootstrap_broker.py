"""scripts/bootstrap.sh and scripts/rabbitmq_probe.py against the real broker: a second
installation's virtual host that does not exist yet is named, with the command that creates it,
instead of the bootstrap trying to start or install a RabbitMQ that is running already."""
import os
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

from tests.integration.suite_process import ROOT

AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def with_vhost(vhost):
    parts = urlsplit(AMQP_URI)
    return urlunsplit((parts.scheme, parts.netloc, "/" + vhost, "", ""))


def run(command, uri):
    return subprocess.run(command, cwd=ROOT, env=dict(os.environ, AMQP_URI=uri),
                          capture_output=True, text=True, timeout=120)


def test_the_probe_tells_a_missing_vhost_from_a_missing_broker(new_amqp_uri):
    missing = f"second-desk-{uuid.uuid4().hex[:6]}"
    answer = run([".venv/bin/python", "scripts/rabbitmq_probe.py", "amqp"], with_vhost(missing))
    assert answer.returncode == 2
    assert f"virtual host '{missing}' does not exist" in answer.stderr
    assert f"rabbitmqctl add_vhost {missing}" in answer.stderr
    assert run([".venv/bin/python", "scripts/rabbitmq_probe.py", "amqp"],
               new_amqp_uri()).returncode == 0
    nobody = urlunsplit(("amqp", "guest:guest@127.0.0.1:1", "/", "", ""))
    assert run([".venv/bin/python", "scripts/rabbitmq_probe.py", "amqp"], nobody).returncode == 1


def test_the_bootstrap_stops_at_once_naming_the_missing_vhost():
    missing = f"second-desk-{uuid.uuid4().hex[:6]}"
    answer = run(["bash", "scripts/bootstrap.sh"], with_vhost(missing))
    assert answer.returncode != 0
    assert f"rabbitmqctl add_vhost {missing}" in answer.stderr
    assert "refused the connection" in answer.stderr
    assert "starting rabbitmq-server" not in answer.stderr
    assert "installing rabbitmq-server" not in answer.stderr
