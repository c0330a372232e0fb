"""QR intake: whoever holds an equipment item's label opens a ticket pre-filled with it.

A label carries the item's public code (128 random bits). Following it, a contact of the item's
client (signed in), an employee of the account, or, when the account allows it
(settings.qr_anonymous_intake), anyone, may open a ticket on the item. Anonymous reports are
limited per network address first, then per label; signed-in people have a budget of their own;
anonymous reporters are told nothing about the client's contract (the limits: intake_limits.py).
"""
from services.shared.actor import Actor
from services.shared.errors import Forbidden, NotFound

QR_ACTOR_ID = "qr-intake"


def resolve(store, code, actor=None):
    """The item behind a code and who may use it; NotFound for unknown or rotated codes, and for
    actors of another account or client (as if the code did not exist)."""
    item = store.equipment.find_by_code(code) if isinstance(code, str) else None
    if item is None:
        raise NotFound("No equipment has this code.")
    account = store.accounts.get(item["account_id"])
    if not account["active"]:
        raise NotFound("No equipment has this code.")
    if actor is not None:
        if actor.account_id != item["account_id"]:
            raise NotFound("No equipment has this code.")
        if actor.is_contact and actor.client_id != item["client_id"]:
            raise NotFound("No equipment has this code.")
    elif not account.get("settings", {}).get("qr_anonymous_intake"):
        # The account's slug leads to its portal's sign-in: the label is public, so is the portal.
        raise Forbidden("Sign in to report a problem with this equipment.",
                        {"sign_in": "required", "account": account["slug"]})
    return item, account


def anonymous_actor(account_id):
    return Actor(account_id=account_id, kind="system", id=QR_ACTOR_ID)


def describe(store, item, account):
    site = store.sites.get(item["account_id"], item["site_id"])
    kind = store.equipment_kinds.find(item["account_id"], item.get("kind_id")) or {}
    return {"account": {"name": account["name"]},
            "equipment": {"kind": kind.get("name"), "manufacturer": item["manufacturer"],
                          "model": item["model"], "serial_number": item.get("serial_number")},
            "site": {"name": site["name"], "address": site.get("address", "")},
            "anonymous_allowed": bool(account.get("settings", {}).get("qr_anonymous_intake"))}
