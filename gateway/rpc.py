"""A pool of nameko standalone RPC proxies, so that an HTTP request never opens an AMQP connection.

Each proxy owns one connection and one reply queue. A request borrows a proxy, calls, and gives
it back; a proxy whose call timed out or whose connection broke is closed instead, because a late
reply or a dead socket would poison the next borrower. Timeouts and unreachable services become
`Unavailable` (HTTP 503); business errors from the service pass through unchanged.
"""
import queue
import socket
import threading
import time
from contextlib import contextmanager

from amqp.exceptions import AMQPError
from kombu.exceptions import OperationalError
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy
from prometheus_client import Histogram

from services.shared.errors import Unavailable
from services.shared.logs import REQUEST_ID_KEY

RPC_SECONDS = Histogram(
    "gateway_rpc_duration_seconds", "RPC round trips from the gateway.",
    ["service", "method", "outcome"],
    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))

_BROKEN = (RpcTimeout, UnknownService, OperationalError, AMQPError, socket.error, ConnectionError)


class RpcPool:
    def __init__(self, amqp_uri, size, timeout):
        self._config = {"AMQP_URI": amqp_uri}
        self._timeout = timeout
        self._idle = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)

    def _open(self):
        # The proxy's context data is this dict itself: each call sets what it carries.
        context = {}
        runner = ClusterRpcProxy(self._config, context_data=context, timeout=self._timeout)
        try:
            return runner, runner.start(), context
        except BaseException:
            self._discard((runner, None, None))
            raise

    @contextmanager
    def _borrow(self):
        if not self._slots.acquire(timeout=self._timeout):
            raise Unavailable("Every connection to the services is busy; try again.")
        entry = None
        try:
            try:
                entry = self._idle.get_nowait()
            except queue.Empty:
                entry = self._open()
            yield entry[1], entry[2]
        except _BROKEN:
            if entry is not None:
                self._discard(entry)
                entry = None
            raise
        finally:
            if entry is not None:
                self._idle.put(entry)
            self._slots.release()

    @staticmethod
    def _discard(entry):
        try:
            entry[0].stop()
        except Exception:  # the connection is already broken; closing it is best effort
            pass

    def call(self, service, method, *args, request_id=None):
        """`request_id` travels as nameko context data: the services log it with their lines."""
        started = time.perf_counter()
        outcome = "ok"
        try:
            with self._borrow() as (cluster, context):
                context.clear()
                if request_id:
                    context[REQUEST_ID_KEY] = request_id
                return getattr(getattr(cluster, service), method)(*args)
        except RpcTimeout:
            outcome = "timeout"
            raise Unavailable(f"The {service} service did not answer in time.") from None
        except _BROKEN:
            outcome = "unreachable"
            raise Unavailable(f"The {service} service cannot be reached.") from None
        except Exception:
            outcome = "error"
            raise
        finally:
            RPC_SECONDS.labels(service, method, outcome).observe(time.perf_counter() - started)

    def close(self):
        while True:
            try:
                self._discard(self._idle.get_nowait())
            except queue.Empty:
                return
