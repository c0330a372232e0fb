"""The gateway's Prometheus metrics; multi-process aware, since gunicorn runs several workers.

With PROMETHEUS_MULTIPROC_DIR set (the gunicorn config sets it), each worker writes its samples
there and /metrics aggregates them; without it (tests, a single process) the default registry is used.
"""
import os
import time

from flask import g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram,
                               generate_latest, multiprocess)

REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds", "HTTP requests served by the gateway.",
    ["method", "endpoint", "status"],
    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


class GatewayMetrics:
    def init_app(self, app):
        app.before_request(self._start)
        app.after_request(self._observe)

    @staticmethod
    def _start():
        g.started = time.perf_counter()

    @staticmethod
    def _observe(response):
        started = g.get("started")
        if started is not None:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            REQUEST_SECONDS.labels(request.method, endpoint, response.status_code).observe(
                time.perf_counter() - started)
        return response

    @staticmethod
    def render():
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        return generate_latest(registry), CONTENT_TYPE_LATEST
