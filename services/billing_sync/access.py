"""Who may reach the 1C connection: an account's admins, and the system itself.

The connection carries the accounting system's credentials and the sync reveals every client's
payments, so only employees with the admin role see or change any of it; contacts, partner links
and other employees are refused (403) before anything is read.
"""
from services.shared.actor import Actor
from services.shared.errors import Forbidden


def admin(actor_data):
    actor = Actor.from_dict(actor_data)
    if not (actor.is_employee and "admin" in actor.roles):
        raise Forbidden("Only the account's admins manage the 1C connection.",
                        {"permission": "account.manage"})
    return actor
