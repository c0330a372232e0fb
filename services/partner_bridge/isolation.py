"""One bad item never stops a loop that walks many accounts' items.

The relay timer walks every account's links (deliveries, received changes, announcements),
the ticket-order sweep every account's held changes, the retention timer every account. Each
item's work runs on its own: when it fails, the item is parked with its error where an admin
sees it (`park`), and the loop goes on with the next item. A failure that only says "try
later" (`transient`: the tickets service down or slow) parks nothing: the item stays first in
line for the next round.
"""
import logging

from services.shared.errors import Unavailable

log = logging.getLogger(__name__)


def transient(error):
    return isinstance(error, Unavailable)


def each(items, work, *, what, park=None):
    """`work(item)` for every item, returning the sum of what it returned (None counts 0); a
    failure is logged and, unless transient, handed to `park(item, error)`."""
    done = 0
    for item in items:
        try:
            done += work(item) or 0
        except Exception as error:
            log.warning("%s failed for one item; going on with the others", what,
                        exc_info=not transient(error), extra={"item": repr(item)[:200]})
            if park is not None and not transient(error):
                _park(park, item, error, what)
    return done


def _park(park, item, error, what):
    try:
        park(item, error)
    except Exception:  # the item is broken beyond recording: logged, the loop still goes on
        log.exception("%s: could not park a failed item", what, extra={"item": repr(item)[:200]})


def describe(error):
    """The error as an admin reads it on the parked item."""
    return f"{type(error).__name__}: {error}"[:1000]
