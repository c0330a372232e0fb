"""What every entrypoint does first: know the actor, check the permission.

The gateway sends either an actor it built itself (the installation owner) or the caller's bearer
token as `{"credential": token}`. The tickets service owns credentials, people and accounts, so it
authenticates the token here, in the same call that does the work: one RPC per request, and a
revoked token or a deactivated person or account fails at the very next request.
"""
from services.shared.actor import Actor
from services.tickets.directory import authentication
from services.tickets.permissions import require


class Guard:
    def actor_of(self, actor):
        if isinstance(actor, dict) and "credential" in actor:
            return authentication.authenticate(self.store, actor["credential"])
        return Actor.from_dict(actor)

    def authorized(self, actor, permission):
        actor = self.actor_of(actor)
        require(actor, permission)
        return actor
