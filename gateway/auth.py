"""Bearer tokens to actors.

Until the accounts service exists (its own issue), API tokens are configured by the operator in
SERVICE_DESK_API_TOKENS as comma-separated `token:account_id:employee_id[:role+role]` entries.
They are held only as SHA-256 digests, compared through a dictionary of digests, and each maps to
exactly one account, so every request carries a real actor and every service call is scoped.
"""
import hashlib
import os

from flask import g, request

from services.shared.actor import Actor

DEFAULT_ROLES = ("admin",)


class Unauthenticated(Exception):
    pass


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def parse_tokens(spec):
    """`token:account:employee[:role+role],...` -> {sha256(token): Actor}."""
    tokens = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        parts = entry.split(":")
        if len(parts) not in (3, 4) or not all(parts[:3]):
            raise ValueError("SERVICE_DESK_API_TOKENS entries are token:account_id:employee_id[:roles]")
        roles = tuple(parts[3].split("+")) if len(parts) == 4 and parts[3] else DEFAULT_ROLES
        tokens[_digest(parts[0])] = Actor(account_id=parts[1], kind="employee", id=parts[2],
                                          roles=roles)
    return tokens


class TokenAuthenticator:
    def __init__(self, spec=None):
        self._tokens = parse_tokens(spec if spec is not None
                                    else os.environ.get("SERVICE_DESK_API_TOKENS", ""))

    def actor(self):
        """The actor of the current request, or Unauthenticated."""
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Send Authorization: Bearer <token>.")
        actor = self._tokens.get(_digest(token.strip()))
        if actor is None:
            raise Unauthenticated("The token is not valid.")
        g.actor = actor
        return actor.to_dict()
