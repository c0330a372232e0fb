"""Carrying out a claimed run: open 1C, pull, and finish the run with its counts or the reason it
stopped. Failures of 1C, of its data and of the tickets service end the run as `failed` with a
machine-readable kind; nothing else is caught, so a bug stays loud.

While the run progresses (each answer from 1C, the start of the apply) its lease is renewed, at
most every RENEW_EVERY seconds, so that no other replica takes a long run for a dead one. A run
whose lease another replica took meanwhile stops where it is and leaves the run to that one."""
import time

from services.billing_sync.adapters.base import OneCError
from services.billing_sync.connections import open_source
from services.billing_sync.sync import pull
from services.shared.errors import NotFound, Unavailable, ValidationFailed

RENEW_EVERY = 30.0


class LeaseLost(Exception):
    """Another replica holds the run now."""


class Lease:
    def __init__(self, store, run, every=RENEW_EVERY):
        self.store, self.run, self.every = store, run, every
        self.renewed = time.monotonic()

    def renew(self):
        if time.monotonic() - self.renewed < self.every:
            return
        if not self.store.runs.renew(self.run):
            raise LeaseLost(self.run["_id"])
        self.renewed = time.monotonic()


def execute(store, run, directory, *, today, source_factory=open_source, renew_every=RENEW_EVERY):
    """(finished run, announcements to publish); (the run as claimed, []) when its lease was
    lost to another replica."""
    started = time.perf_counter()
    lease = Lease(store, run, renew_every)
    try:
        connection = store.connections.get(run["account_id"], run["connection_id"])
        with source_factory(connection) as source:
            source.on_request = lease.renew
            outcome = pull(store, source, connection, directory, run["_id"], today=today,
                           incremental=run["mode"] == "incremental", progress=lease.renew)
    except LeaseLost:
        return run, []
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
