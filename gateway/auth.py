"""Bearer tokens to actors.

The tickets service owns credentials, people and accounts: it checks the token inside the very
call that does the work (the actor travels as `{"credential": token}`), so each request costs one
RPC and a revoked token, a deactivated person or account stops working at the next request.
Calls to other services carry the actor the tickets service resolved (`authenticate`, once per
request). The installation owner's token comes from SERVICE_DESK_OWNER_TOKEN and only manages
accounts.
"""
import hmac
import os

from flask import current_app, g, request

from services.shared.actor import Actor
from services.shared.errors import Unauthenticated

OWNER = Actor(account_id=None, kind="owner", id="owner")


class TokenAuthenticator:
    def __init__(self, owner_token=None):
        self._owner_token = (owner_token if owner_token is not None
                             else os.environ.get("SERVICE_DESK_OWNER_TOKEN", ""))

    def actor(self):
        """The actor of the current request for the tickets service, or Unauthenticated when
        the request carries no bearer token at all."""
        if "actor" in g:
            return g.actor
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("Send Authorization: Bearer <token>.")
        if self._owner_token and hmac.compare_digest(token.encode(), self._owner_token.encode()):
            g.actor = OWNER.to_dict()
        else:
            g.actor = {"credential": token}
        return g.actor

    def resolved_actor(self):
        """The actor itself, for services that do not own credentials."""
        actor = self.actor()
        if "credential" in actor:
            g.actor = current_app.extensions["gateway"].rpc.call("tickets", "authenticate",
                                                                 actor["credential"])
        return g.actor
