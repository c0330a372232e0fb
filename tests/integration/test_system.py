"""Health, OpenAPI, docs, metrics and the RPC echo, through the running suite."""
import os

import requests

from tests.integration.suite_process import Api

SERVICES = {"tickets", "knowledge", "telephony", "billing_sync", "partner_bridge"}


def test_health_reports_every_service(suite):
    answer = requests.get(f"{suite.url}/health", timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body["services"]) == SERVICES
    storage = "mongodb" if os.environ.get("MONGO_URL") else "embedded"
    assert all(s["status"] == "ok" and s["storage"] == storage for s in body["services"].values())


def test_openapi_document_comes_from_the_schemas(suite):
    spec = requests.get(f"{suite.url}/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/tickets", "/api/v1/tickets/{ticket_id}", "/api/v1/tickets/{ticket_id}/status",
            "/api/v1/tickets/{ticket_id}/comments", "/api/v1/tickets/by-number/{number}"} <= set(spec["paths"])
    create = spec["components"]["schemas"]["TicketCreate"]
    assert create["required"] == ["title"] and create["properties"]["title"]["maxLength"] == 200
    assert create["additionalProperties"] is False
    docs = requests.get(f"{suite.url}/docs", timeout=10)
    assert docs.status_code == 200 and "redoc" in docs.text.lower()


def test_gateway_and_services_expose_metrics(suite, acme):
    acme.create_ticket(channel="email")
    gateway = requests.get(f"{suite.url}/metrics", timeout=10).text
    assert 'http_request_duration_seconds_bucket{endpoint="/api/v1/tickets"' in gateway
    assert 'gateway_rpc_duration_seconds_count{method="create_ticket",outcome="ok",service="tickets"}' in gateway
    tickets = requests.get(f"http://127.0.0.1:{suite.metrics_base}/metrics", timeout=10).text
    assert 'tickets_created_total{channel="email"}' in tickets
    assert 'entrypoint_duration_seconds_count{entrypoint="create_ticket",outcome="ok",service="tickets"}' in tickets
    for offset in range(1, 5):
        other = requests.get(f"http://127.0.0.1:{suite.metrics_base + offset}/metrics", timeout=10)
        assert other.status_code == 200 and "entrypoint_duration_seconds" in other.text


def test_echo_is_a_bare_round_trip(acme):
    answer = acme.post("/api/v1/diagnostics/echo", json={"payload": {"ping": [1, "два"]}})
    assert answer.status_code == 200 and answer.json() == {"ping": [1, "два"]}


def test_echo_needs_a_token(suite):
    assert Api(suite.url).post("/api/v1/diagnostics/echo", json={"payload": 1}).status_code == 401


def test_every_answer_carries_a_request_id(acme):
    mine = acme.get("/api/v1/tickets", headers={"X-Request-Id": "call-centre-42"})
    assert mine.headers["X-Request-Id"] == "call-centre-42"
    assert len(acme.get("/api/v1/tickets").headers["X-Request-Id"]) == 32
