"""Words for the queue's own filters and badges (the values are the tickets service's; the texts
are msgids of this area's catalogs). Templates reach them as `queue_labels`; `words()` gives the
ones every row repeats, translated once per page rather than once per row."""
from functools import lru_cache

from gateway.i18n import catalog
from gateway.web.vocabulary import PRIORITY, STATUS

SLA_STATE = {"running": "On the clock", "warning": "Due soon", "breached": "SLA breached",
             "paused": "SLA paused", "met": "Met"}
SLA_TARGET = {"reaction": "Reaction", "resolution": "Resolution"}
CHANNEL = {"phone": "Phone", "email": "Email", "portal": "Portal", "api": "API", "qr": "QR label",
           "partner": "Partner"}

PAYMENT_STATE = {"paid": "Paid", "unpaid": "Unpaid", "overdue": "Payment overdue",
                 "unknown": "Payment not reported"}

QUEUE_LABELS = {"sla_state": SLA_STATE, "sla_target": SLA_TARGET, "channel": CHANNEL,
                "payment_state": PAYMENT_STATE}

# The SLA badge of a row: the most urgent state among the ticket's targets.
SLA_BADGE = {"breached": "SLA breached", "paused": "SLA paused", "warning": "Due soon"}


def sla_badge(sla):
    """breached, paused, warning or None, from the SLA the service computed for the ticket."""
    if not sla:
        return None
    states = {target.get("state") for target in (sla.get("targets") or {}).values()}
    if "breached" in states:
        return "breached"
    if sla.get("paused"):
        return "paused"
    return "warning" if "warning" in states else None


@lru_cache(maxsize=None)
def words(locale):
    """Status, priority and badge words of the rows in `locale`."""
    translate = catalog(locale).gettext
    return {name: {value: translate(text) for value, text in table.items()}
            for name, table in (("status", STATUS), ("priority", PRIORITY), ("sla", SLA_BADGE))}
