"""Who may do what with partner links (docs/security.md lists it next to the other matrices).

partner_bridge receives the actor the gateway resolved through tickets.authenticate and rebuilds
it with Actor.from_dict, which refuses anything malformed. Links, rules and the outbox belong to
admins; sharing a ticket and reading correlations and reports to office staff. Client contacts
reach nothing here.
"""
from services.shared.actor import Actor
from services.shared.errors import Forbidden

PERMISSIONS = {
    "partners.manage": frozenset({"admin"}),
    "partners.share": frozenset({"admin", "dispatcher", "agent"}),
}


def require(actor, permission):
    """The actor, if it is an employee holding `permission`; Forbidden otherwise."""
    actor = Actor.from_dict(actor)
    if not actor.is_employee or not PERMISSIONS[permission] & set(actor.roles):
        raise Forbidden(f"This needs the permission '{permission}'.", {"permission": permission})
    return actor
