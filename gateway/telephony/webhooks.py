"""POST (and Zadarma's GET) /api/v1/webhooks/telephony/{integration_id}[/{token or suffix}]

The edge of issue 7: look the integration's secrets up (targets.py), let the dialect screen the
request (services.telephony.webhooks.screen: handshake, authenticate, readable check), publish it
with publisher confirms, and only then answer in the vendor's shape. Bad signature 401, unknown
integration 404, unreadable body 400 with the reason, broker or telephony unreachable 503:
nothing is queued in any of those cases.

The part after the integration id is the URL token for the token dialects (generic, Asterisk)
and the event suffix for Mango (`events/call`, ...); Zadarma posts to the bare URL.
"""
import uuid
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, request
from prometheus_client import Counter

from gateway.problems import problem
from gateway.telephony.publisher import WebhookPublisher
from gateway.telephony.targets import WebhookTargets
from services.shared.errors import NotFound, Unavailable
from services.telephony.adapters.base import BadSignature, MalformedBody, WebhookRequest
from services.telephony.webhooks import screen

PREFIX = "/api/v1/webhooks/telephony"
TOKEN_DIALECTS = ("generic", "asterisk")
KEPT_HEADERS = ("signature",)  # what the dialects read; cookies and the like are not queued

WEBHOOK_REQUESTS = Counter("telephony_webhook_events_total",
                           "PBX webhook requests at the edge, by vendor and outcome.",
                           ["vendor", "outcome"])

blueprint = Blueprint("telephony_webhooks", __name__, url_prefix=PREFIX)


def init_app(app, amqp_uri):
    rpc = app.extensions["gateway"].rpc
    app.extensions["telephony_webhooks"] = {
        "publisher": WebhookPublisher(amqp_uri),
        "targets": WebhookTargets(
            lambda integration_id: rpc.call("telephony", "get_integration_secrets",
                                            integration_id))}
    app.register_blueprint(blueprint)


@blueprint.route("/<integration_id>", methods=["GET", "POST"], defaults={"rest": ""})
@blueprint.route("/<integration_id>/<path:rest>", methods=["GET", "POST"])
def receive(integration_id, rest):
    edge = current_app.extensions["telephony_webhooks"]
    vendor = "unknown"
    try:
        target = edge["targets"].get(integration_id)
        vendor = target["dialect"]
        webhook = incoming(vendor, rest)
        screened = screen(vendor, target["secrets"], webhook)
        if screened.queue:
            edge["publisher"].publish({
                "message_id": uuid.uuid4().hex, "account_id": target["account_id"],
                "integration_id": target["integration_id"], "dialect": vendor,
                "request": webhook.as_message()})
    except NotFound:
        return refused(vendor, "unknown_integration", 404, "not-found", "Not found",
                       "No such PBX integration, or it is disabled.")
    except BadSignature as refusal:
        return refused(vendor, "bad_signature", 401, "unauthenticated",
                       "Authentication required", refusal.reason)
    except MalformedBody as refusal:
        return refused(vendor, "malformed", 400, "malformed-request", "Malformed request",
                       refusal.reason)
    except Unavailable as outage:
        return refused(vendor, "unavailable", 503, "unavailable", "Service unavailable",
                       outage.detail, headers={"Retry-After": "5"})
    WEBHOOK_REQUESTS.labels(vendor, "accepted" if screened.queue else "handshake").inc()
    reply = screened.reply
    return Response(reply.body, status=reply.status, content_type=reply.content_type)


def incoming(dialect, rest):
    """The HTTP request as the dialects read it."""
    rest = rest.strip("/")
    token = suffix = None
    if dialect in TOKEN_DIALECTS:
        if "/" in rest:
            raise NotFound("No such PBX integration.")
        token = rest or None
    elif dialect == "mango":
        suffix = rest
    elif rest:
        raise NotFound("No such PBX integration.")
    headers = {name.lower(): value for name, value in request.headers.items()
               if name.lower() in KEPT_HEADERS}
    return WebhookRequest(method=request.method, body=request.get_data(cache=False),
                          received_at=datetime.now(timezone.utc),
                          content_type=request.content_type or "", headers=headers,
                          query=request.args.to_dict(flat=False), suffix=suffix or "",
                          url_token=token)


def refused(vendor, outcome, status, slug, title, detail, headers=None):
    WEBHOOK_REQUESTS.labels(vendor, outcome).inc()
    return problem(status, slug, title, detail, headers=headers)
