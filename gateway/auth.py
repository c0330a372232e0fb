"""Bearer tokens to actors.

Every request's token is checked by the tickets service (`authenticate`), which owns credentials,
people and accounts, so a revoked token, a deactivated person or account stops working at the
very next request. The installation owner's token comes from SERVICE_DESK_OWNER_TOKEN and only
manages accounts.
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
        """The actor of the current request (as a dict for RPC), or Unauthenticated."""
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
            g.actor = current_app.extensions["gateway"].rpc.call("tickets", "authenticate", token)
        return g.actor
