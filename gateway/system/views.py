"""Operational endpoints: liveness, the services' health, metrics, and the RPC echo (latency floor)."""
from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, Response, current_app, jsonify, make_response, request
from marshmallow import Schema, fields

from gateway.calls import call
from services.shared.errors import ServiceError
from services.shared.validation import load

SERVICES = ("tickets", "knowledge", "telephony", "billing_sync", "partner_bridge")

blp = Blueprint("system", __name__)


@blp.get("/livez")
def livez():
    """The gateway process answers; says nothing of the services (Kubernetes liveness)."""
    return jsonify(status="ok")


@blp.get("/health")
def health():
    """Each service's reachability; 503 when any of them does not answer."""
    gateway = current_app.extensions["gateway"]

    def check(name):
        try:
            return name, gateway.health_rpc.call(name, "health")
        except ServiceError as error:
            return name, {"status": "unavailable", "detail": error.detail}

    with ThreadPoolExecutor(max_workers=len(SERVICES)) as pool:
        services = dict(pool.map(check, SERVICES))
    healthy = all(s.get("status") == "ok" for s in services.values())
    return make_response(jsonify(status="ok" if healthy else "degraded", services=services),
                         200 if healthy else 503)


@blp.get("/metrics")
def metrics():
    body, content_type = current_app.extensions["gateway"].metrics.render()
    return Response(body, content_type=content_type)


class EchoSchema(Schema):
    payload = fields.Raw(required=True)


ECHO = EchoSchema()


@blp.post("/api/v1/diagnostics/echo")
def echo():
    """One authenticated RPC round trip through the gateway, doing nothing else: the floor that
    other latencies are judged by."""
    data = load(ECHO, request.get_json())
    return jsonify(call("tickets", "authenticated_echo", data["payload"]))
