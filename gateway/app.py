"""The gateway's app factory."""
import logging
import os
from dataclasses import dataclass

from flask import Flask
from flask_smorest import Api

from gateway import problems
from gateway.auth import TokenAuthenticator
from gateway.metrics import GatewayMetrics
from gateway.rpc import RpcPool
from gateway.system.views import blp as system_blp
from gateway.tickets.views import blp as tickets_blp
from services.shared import settings

MAX_BODY_BYTES = 1024 * 1024
HEALTH_TIMEOUT_SECONDS = 2


@dataclass
class Gateway:
    """What the views reach through `current_app.extensions["gateway"]`."""
    rpc: RpcPool
    health_rpc: RpcPool
    auth: TokenAuthenticator
    metrics: GatewayMetrics


def create_app(tokens=None, amqp_uri=None, rpc_timeout=None, pool_size=None):
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE="Service desk API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_REDOC_PATH="/docs",
        OPENAPI_REDOC_URL="https://cdn.jsdelivr.net/npm/redoc@2.1.5/bundles/redoc.standalone.js",
        API_SPEC_OPTIONS={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}}, "security": [{"bearer": []}]},
    )
    amqp_uri = amqp_uri or settings.amqp_uri()
    pool_size = pool_size or int(os.environ.get("RPC_POOL_SIZE", "16"))
    metrics = GatewayMetrics()
    app.extensions["gateway"] = Gateway(
        rpc=RpcPool(amqp_uri, pool_size, rpc_timeout or settings.rpc_timeout()),
        health_rpc=RpcPool(amqp_uri, 5, HEALTH_TIMEOUT_SECONDS),
        auth=TokenAuthenticator(tokens),
        metrics=metrics)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    api = Api(app)
    api.register_blueprint(tickets_blp)
    app.register_blueprint(system_blp)
    problems.register(app)
    metrics.init_app(app)
    logging.getLogger(__name__).info("gateway ready", extra={"amqp_uri_host": amqp_uri.split("@")[-1]})
    return app
