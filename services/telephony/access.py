"""Who may do what with telephony.

- Admins manage PBX integrations: they see webhook paths, which carry URL tokens.
- Every employee reads calls (the agent on the phone looks the call up).
- Admins, dispatchers and agents link and unlink calls and tickets by hand (the tickets side
  checks the ticket is theirs to change).
- Client contacts, partner links and the owner reach nothing here: calls are the desk's records.
"""
from services.shared.actor import Actor
from services.shared.errors import Forbidden

ADMINS = frozenset({"admin"})
LINKERS = frozenset({"admin", "dispatcher", "agent"})
SYSTEM = "telephony"


def employee(actor_data):
    actor = Actor.from_dict(actor_data)
    if not actor.is_employee:
        raise Forbidden("Telephony is for the service company's employees.")
    return actor


def admin(actor_data):
    actor = employee(actor_data)
    if not ADMINS.intersection(actor.roles):
        raise Forbidden("Only admins manage PBX integrations.")
    return actor


def linker(actor_data):
    actor = employee(actor_data)
    if not LINKERS.intersection(actor.roles):
        raise Forbidden("Only admins, dispatchers and agents link calls to tickets.")
    return actor


def system_actor(account_id):
    """How this service acts on the tickets side for a call of `account_id`."""
    return {"account_id": account_id, "kind": "system", "id": SYSTEM}
