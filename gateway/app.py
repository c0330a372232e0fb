"""The gateway's app factory."""
import logging
import os
from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway import bodies, problems, web
from gateway.auth import TokenAuthenticator
from gateway.json_times import IsoTimesJSONProvider
from gateway.metrics import GatewayMetrics
from gateway.rpc import RpcPool
from gateway.accounts.views import blp as accounts_blp
from gateway.audit.views import blp as audit_blp
from gateway.billing.views import blp as billing_blp
from gateway.clients.views import blp as clients_blp
from gateway.contracts.views import blp as contracts_blp
from gateway.dead_letters.views import blp as dead_letters_blp
from gateway.equipment.views import blp as equipment_blp
from gateway.imports.views import blp as imports_blp
from gateway.intake.views import blp as intake_blp
from gateway.knowledge.views import blp as knowledge_blp
from gateway.partners.federation import blp as federation_blp
from gateway.partners.views import blp as partners_blp
from gateway.people.views import blp as people_blp
from gateway.pricing.views import blp as pricing_blp
from gateway.saved_views.views import blp as saved_views_blp
from gateway.sessions.views import blp as sessions_blp
from gateway.sites.views import blp as sites_blp
from gateway.sla.views import blp as sla_blp
from gateway.system.views import blp as system_blp
from gateway.telephony import webhooks as telephony_webhooks
from gateway.telephony.views import blp as telephony_blp
from gateway.ticket_feedback.views import blp as ticket_feedback_blp
from gateway.tickets.views import blp as tickets_blp
from services.shared import settings
from services.shared.schema_fields import DayOrMoment

MAX_BODY_BYTES = 1024 * 1024
HEALTH_TIMEOUT_SECONDS = 2


# Reached without a credential; everything else under /api/ needs a bearer token before its body
# is read, so a caller without one gets 401, not validation errors. (Whether the token is valid is
# decided by the service, in the same call that does the work.)
ANONYMOUS = ("/api/v1/auth/login", "/api/v1/auth/password-reset")
# A QR label's reporter may be signed in or not; a PBX proves itself by the vendor's own scheme;
# partner installations sign their own requests.
ANONYMOUS_PREFIXES = ("/api/v1/intake/", telephony_webhooks.PREFIX + "/", "/api/v1/federation/")


def authenticate_first():
    path = request.path
    if (path.startswith("/api/") and path not in ANONYMOUS
            and not path.startswith(ANONYMOUS_PREFIXES)):
        current_app.extensions["gateway"].auth.actor()


class DocumentedApi(Api):
    """The document names the error answers as they are: problem+json (gateway/problems.py)."""
    ERROR_SCHEMA = problems.ProblemSchema

    def _register_responses(self):
        # flask-smorest registers its error responses with the success content type.
        success_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = problems.PROBLEM_CONTENT_TYPE
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = success_type


@dataclass
class Gateway:
    """What the views reach through `current_app.extensions["gateway"]`."""
    rpc: RpcPool
    health_rpc: RpcPool
    auth: TokenAuthenticator
    metrics: GatewayMetrics


def create_app(owner_token=None, amqp_uri=None, rpc_timeout=None, pool_size=None):
    # The web pages' assets (gateway/web/static) are the app's static files, at /static/.
    app = Flask(__name__, static_folder="web/static")
    # Behind a proxy (the Kubernetes ingress), the client's address comes from X-Forwarded-For;
    # TRUSTED_PROXIES says how many proxies to believe (0: none, the default for a laptop).
    hops = int(os.environ.get("TRUSTED_PROXIES", "0"))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    amqp_uri = amqp_uri or settings.amqp_uri()
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        AMQP_URI=amqp_uri,  # also for the web's live events (gateway/web/queue/live.py)
        API_TITLE="Service desk API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_REDOC_PATH="/docs",
        # Served by the gateway itself (gateway/web/static/vendor/ASSETS.md): /docs works offline.
        OPENAPI_REDOC_URL="/static/vendor/redoc/redoc-2.1.5.standalone.js",
        API_SPEC_OPTIONS={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}}, "security": [{"bearer": []}]},
    )
    pool_size = pool_size or int(os.environ.get("RPC_POOL_SIZE", "16"))
    metrics = GatewayMetrics()
    app.extensions["gateway"] = Gateway(
        rpc=RpcPool(amqp_uri, pool_size, rpc_timeout or settings.rpc_timeout()),
        health_rpc=RpcPool(amqp_uri, 5, HEALTH_TIMEOUT_SECONDS),
        auth=TokenAuthenticator(owner_token),
        metrics=metrics)
    app.json = IsoTimesJSONProvider(app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    api = DocumentedApi(app)
    # Either a date or a date and time: no single OpenAPI format says that (its description does).
    api.register_field(DayOrMoment, "string", None)
    for blueprint in (sessions_blp, accounts_blp, people_blp, clients_blp, sites_blp, equipment_blp,
                      contracts_blp, pricing_blp, tickets_blp, audit_blp, intake_blp, imports_blp,
                      knowledge_blp, sla_blp, telephony_blp,
                      partners_blp, federation_blp, billing_blp, dead_letters_blp, saved_views_blp,
                      ticket_feedback_blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(system_blp)
    telephony_webhooks.init_app(app, amqp_uri)
    problems.register(app)
    web.init_app(app)
    metrics.init_app(app)
    app.before_request(authenticate_first)
    bodies.init_app(app)  # after authentication: a caller without a token gets 401 first
    logging.getLogger(__name__).info("gateway ready", extra={"amqp_uri_host": amqp_uri.split("@")[-1]})
    return app
