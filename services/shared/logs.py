"""One JSON object per log line, carrying the request id of the gateway request that led to it.

The gateway sends its request id with every RPC as nameko context data (`request_id`, in the
message headers); nameko hands context data on to the RPCs a service makes in turn. `LogContext`,
a dependency every service declares, puts that id and the nameko call id of the running worker
on each line the worker logs.
"""
import contextvars

from nameko.extensions import DependencyProvider
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REQUEST_ID_KEY = "request_id"
# Each nameko worker runs in a green thread of its own, and each greenlet has its own context.
_WORKER = contextvars.ContextVar("log_context", default={})


class LogContext(DependencyProvider):
    def worker_setup(self, worker_ctx):
        context = {"call_id": worker_ctx.call_id}
        if worker_ctx.data.get(REQUEST_ID_KEY):
            context[REQUEST_ID_KEY] = str(worker_ctx.data[REQUEST_ID_KEY])
        _WORKER.set(context)

    def worker_teardown(self, worker_ctx):
        _WORKER.set({})


class JsonFormatter(_BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "asctime": "time"})
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        for key, value in _WORKER.get().items():
            log_data.setdefault(key, value)
