"""The gateway's RPC pool on a real RabbitMQ: answers 503 when a service is missing or silent, and
reuses its proxies (each one AMQP connection and reply queue) instead of opening one per request."""
import time

import pytest

from gateway.app import create_app
from services.tickets.service import TicketsService

OWNER = {"Authorization": "Bearer owner-token"}


@pytest.fixture
def client(config):
    app = create_app(owner_token="owner-token", amqp_uri=config["AMQP_URI"], rpc_timeout=1,
                     pool_size=4)
    yield app.test_client()
    app.extensions["gateway"].rpc.close()


def admin_of_new_account(client, slug="acme"):
    answer = client.post("/api/v1/accounts", headers=OWNER, json={
        "slug": slug, "name": "Acme", "admin": {"name": "Alice", "email": "alice@acme.example"}})
    assert answer.status_code == 201, answer.json
    return {"Authorization": f"Bearer {answer.json['admin_token']}"}


def test_a_service_nobody_runs_is_503_at_once(client):
    started = time.monotonic()
    answer = client.post("/api/v1/tickets", json={"title": "Замок"},
                         headers={"Authorization": "Bearer some-token"})
    assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
    assert "tickets" in answer.json["detail"]
    assert time.monotonic() - started < 1
    health = client.get("/health")
    assert health.status_code == 503
    assert {s["status"] for s in health.json["services"].values()} == {"unavailable"}


def test_a_silent_service_is_503_after_the_timeout(client, container_factory, config):
    container = container_factory(TicketsService, config)
    container.start()
    AUTH = admin_of_new_account(client)
    assert client.post("/api/v1/tickets", json={"title": "Замок"}, headers=AUTH).status_code == 201
    container.stop()  # its queue stays, nobody consumes it
    started = time.monotonic()
    answer = client.post("/api/v1/tickets", json={"title": "Замок"}, headers=AUTH)
    assert answer.status_code == 503
    assert "did not answer in time" in answer.json["detail"]
    assert 0.9 < time.monotonic() - started < 5


def test_requests_reuse_pooled_proxies(client, container_factory, config):
    """Each proxy holds one AMQP connection and reply queue; 60 requests must open one proxy."""
    container = container_factory(TicketsService, config)
    container.start()
    pool = client.application.extensions["gateway"].rpc
    opened = []
    original_open = pool._open
    pool._open = lambda: opened.append(1) or original_open()
    AUTH = admin_of_new_account(client)
    for i in range(30):
        assert client.post("/api/v1/tickets", json={"title": f"Заявка {i}"}, headers=AUTH).status_code == 201
        assert client.get("/api/v1/tickets", headers=AUTH).status_code == 200
    assert len(opened) == 1


def test_a_timed_out_proxy_is_replaced_not_reused(client, container_factory, config):
    pool = client.application.extensions["gateway"].rpc
    container = container_factory(TicketsService, config)
    container.start()
    AUTH = admin_of_new_account(client)
    assert client.get("/api/v1/tickets", headers=AUTH).status_code == 200
    container.stop()
    assert client.get("/api/v1/tickets", headers=AUTH).status_code == 503
    assert pool._idle.qsize() == 0  # the proxy that timed out was closed, not put back
    container = container_factory(TicketsService, config)
    container.start()
    assert client.get("/api/v1/tickets", headers=AUTH).status_code == 200
    assert pool._idle.qsize() == 1
