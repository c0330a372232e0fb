"""Carrying out a claimed run: open 1C, pull, and finish the run with its counts or the reason it
stopped. Failures of 1C, of its data and of the tickets service end the run as `failed` with a
machine-readable kind; nothing else is caught, so a bug stays loud."""
import time

from services.billing_sync.adapters.base import OneCError
from services.billing_sync.connections import open_source
from services.billing_sync.sync import pull
from services.shared.errors import NotFound, Unavailable, ValidationFailed


def execute(store, run, directory, *, today, source_factory=open_source):
    """(finished run, announcements to publish)."""
    started = time.perf_counter()
    try:
        connection = store.connections.get(run["account_id"], run["connection_id"])
        with source_factory(connection) as source:
            outcome = pull(store, source, connection, directory, run["_id"], today=today,
                           incremental=run["mode"] == "incremental")
    except OneCError as err:
        return store.runs.finish(run, {}, _error(err.kind, err.detail, status=err.status, code=err.code)), []
    except ValidationFailed as err:
        return store.runs.finish(run, {}, _error("malformed_data", err.detail, fields=err.fields)), []
    except (Unavailable, NotFound) as err:
        return store.runs.finish(run, {}, _error("unavailable", err.detail, extra=err.extra)), []
    outcome.counts["read_seconds"] = round(time.perf_counter() - started, 3)
    return store.runs.finish(run, outcome.counts), outcome.announcements


def _error(kind, detail, **extra):
    # Only strings, lists and dicts cross the bus unchanged.
    return dict({"kind": kind, "detail": detail},
                **{k: v if isinstance(v, (dict, list)) else str(v)
                   for k, v in extra.items() if v is not None})
