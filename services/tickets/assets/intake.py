"""QR intake: whoever holds an equipment item's label opens a ticket pre-filled with it.

A label carries the item's public code (128 random bits). Following it, a contact of the item's
client (signed in), an employee of the account, or, when the account allows it
(settings.qr_anonymous_intake), anyone, may open a ticket on the item. Anonymous reports are
limited per network address first, then per label; signed-in people have a budget of their own;
anonymous reporters are told nothing about the client's contract.
"""
from datetime import timedelta

from services.shared.actor import Actor
from services.shared.clock import utcnow
from services.shared.errors import Forbidden, NotFound, Throttled

PER_CODE_PER_HOUR = 20
PER_ADDRESS_PER_HOUR = 10
WINDOW = timedelta(hours=1)
QR_ACTOR_ID = "qr-intake"


class IntakeLimiter:
    """Fixed one-hour windows counted atomically per key."""

    def __init__(self, db):
        self.counters = db.intake_counters

    @staticmethod
    def create_indexes(db):
        pass  # keyed by _id

    def spend(self, key, limit):
        window = utcnow().replace(minute=0, second=0, microsecond=0)
        doc = self.counters.find_one_and_update(
            {"_id": f"{key}|{window.isoformat()}"}, {"$inc": {"count": 1}, "$set": {"window": window}},
            upsert=True, return_document=True)
        if doc["count"] > limit:
            wait = int((window + WINDOW - utcnow()).total_seconds()) + 1
            raise Throttled("Too many requests from this label; try again later.",
                            {"retry_after": str(wait)})


def resolve(directory, code, actor=None):
    """The item behind a code and who may use it; NotFound for unknown or rotated codes, and for
    actors of another account or client (as if the code did not exist)."""
    item = directory.equipment.find_by_code(code) if isinstance(code, str) else None
    if item is None:
        raise NotFound("No equipment has this code.")
    account = directory.accounts.get(item["account_id"])
    if not account["active"]:
        raise NotFound("No equipment has this code.")
    if actor is not None:
        if actor.account_id != item["account_id"]:
            raise NotFound("No equipment has this code.")
        if actor.is_contact and actor.client_id != item["client_id"]:
            raise NotFound("No equipment has this code.")
    elif not account.get("settings", {}).get("qr_anonymous_intake"):
        raise Forbidden("Sign in to report a problem with this equipment.", {"sign_in": "required"})
    return item, account


def anonymous_actor(account_id):
    return Actor(account_id=account_id, kind="system", id=QR_ACTOR_ID)


def describe(directory, item, account):
    site = directory.sites.get(item["account_id"], item["site_id"])
    kind = directory.equipment_kinds.kinds.find_one({"_id": item.get("kind_id")}) or {}
    return {"account": {"name": account["name"]},
            "equipment": {"kind": kind.get("name"), "manufacturer": item["manufacturer"],
                          "model": item["model"], "serial_number": item.get("serial_number")},
            "site": {"name": site["name"], "address": site.get("address", "")},
            "anonymous_allowed": bool(account.get("settings", {}).get("qr_anonymous_intake"))}
