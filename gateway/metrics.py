"""What the gateway records of each request: Prometheus metrics and one JSON access-log line.

Each request gets a request id (the caller's X-Request-Id when it sends one, else a new one),
returned in the X-Request-Id header and written in the log line.

Metrics are multi-process aware, since gunicorn runs several workers.
With PROMETHEUS_MULTIPROC_DIR set (the gunicorn config sets it), each worker writes its samples
there and /metrics aggregates them; without it (tests, a single process) the default registry is used.
"""
import logging
import os
import time
import uuid

from flask import g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram,
                               generate_latest, multiprocess)

REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds", "HTTP requests served by the gateway.",
    ["method", "endpoint", "status"],
    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


access_log = logging.getLogger("gateway.access")


class GatewayMetrics:
    def init_app(self, app):
        app.before_request(self._start)
        app.after_request(self._observe)

    @staticmethod
    def _start():
        g.started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex

    @staticmethod
    def _observe(response):
        started = g.get("started")
        if started is None:
            return response
        seconds = time.perf_counter() - started
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        REQUEST_SECONDS.labels(request.method, endpoint, response.status_code).observe(seconds)
        response.headers["X-Request-Id"] = g.request_id
        if endpoint not in ("/metrics", "/livez"):
            access_log.info("request", extra={
                "request_id": g.request_id, "method": request.method, "endpoint": endpoint,
                "status": response.status_code, "ms": round(seconds * 1000, 2)})
        return response

    @staticmethod
    def render():
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        return generate_latest(registry), CONTENT_TYPE_LATEST
