"""The page's independent RPCs at once: each waits on a reply over the bus, so run one after the
other they add up; side by side the page costs about two round trips (the ticket, then all that
depends on it) instead of eight. Each runs in a copy of the request's context as the same actor
(a new thread has its own `g`), and the first failure among them raises as if called in order."""
from concurrent.futures import ThreadPoolExecutor

from flask import copy_current_request_context, current_app, g

WORKERS = 8  # per gateway process; the RPC pool bounds the connections anyway
POOL = ThreadPoolExecutor(WORKERS, thread_name_prefix="page-rpc")


def together(*calls):
    """[(function, *args), ...] -> their results, in the same order."""
    actor = g.actor

    def bound(function, args):
        @copy_current_request_context
        def run():
            g.actor = actor
            return function(*args)
        return run

    futures = [POOL.submit(bound(function, args)) for function, *args in calls]
    return [future.result() for future in futures]


def resolved_actor():
    """The session's actor as the tickets service resolves it (what services other than tickets
    are given): resolved once, so that parallel calls do not each authenticate."""
    return current_app.extensions["gateway"].auth.resolved_actor()
