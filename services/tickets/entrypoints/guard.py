"""What every entrypoint does first."""
from services.shared.actor import Actor
from services.tickets.permissions import require


def authorized(actor, permission):
    actor = Actor.from_dict(actor)
    require(actor, permission)
    return actor
