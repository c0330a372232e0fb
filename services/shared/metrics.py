"""Prometheus metrics of a service process: an HTTP endpoint and entrypoint latency.

Declaring `metrics = ServiceMetrics(default_port)` on a service starts the endpoint once per
process (METRICS_PORT overrides the port; 0 takes a free one) and times every entrypoint call.
Business counters are module-level objects in the service's own `metrics.py` or `events.py`.
"""
import time

from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Histogram, start_http_server

from services.shared import settings

ENTRYPOINT_SECONDS = Histogram(
    "entrypoint_duration_seconds", "Time spent in a service entrypoint (RPC, event, timer).",
    ["service", "entrypoint", "outcome"],
    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
ENTRYPOINT_ERRORS = Counter(
    "entrypoint_errors_total", "Entrypoint calls that ended in an unexpected error.",
    ["service", "entrypoint"])

_servers = {}


class ServiceMetrics(DependencyProvider):
    def __init__(self, default_port):
        self.default_port = default_port
        self.port = None
        self._started = {}

    def setup(self):
        port = settings.metrics_port(self.default_port)
        if port not in _servers or port == 0:
            server, _thread = start_http_server(port, addr="0.0.0.0")
            _servers[port] = server
            port = server.server_address[1]
        self.port = port

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        if started is None:
            return
        expected = getattr(worker_ctx.entrypoint, "expected_exceptions", ())
        if exc_info is None:
            outcome = "ok"
        elif expected and isinstance(exc_info[1], expected):
            outcome = "rejected"
        else:
            outcome = "error"
            ENTRYPOINT_ERRORS.labels(worker_ctx.service_name, worker_ctx.entrypoint.method_name).inc()
        ENTRYPOINT_SECONDS.labels(worker_ctx.service_name, worker_ctx.entrypoint.method_name,
                                  outcome).observe(time.perf_counter() - started)

    def get_dependency(self, worker_ctx):
        return self
