"""Service tests run nameko containers in this process (under `nameko test`, which has patched
eventlet) against a real RabbitMQ, each test on its own virtual host and data folder."""
import uuid

import pytest

from services.shared import storage


@pytest.fixture
def service_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("METRICS_PORT", "0")
    # With MONGO_URL set the same tests run against a real MongoDB, in databases of their own.
    monkeypatch.setenv("MONGO_DB_PREFIX", f"test_{uuid.uuid4().hex[:10]}_")
    yield tmp_path
    # The embedded databases of this test's folder are not reused by the next test.
    for path in [p for p in storage._embedded if str(p).startswith(str(tmp_path))]:
        storage._embedded.pop(path).journal.close()


@pytest.fixture
def config(new_amqp_uri, service_env):
    return {"AMQP_URI": new_amqp_uri()}
