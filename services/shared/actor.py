"""Who is calling: the first argument of every RPC that reads or changes account data.

The gateway builds the actor from the credential; services trust only what it says and scope
every query by `account_id` (and, for a client contact, by `client_id` and `client_scope`).
"""
from dataclasses import asdict, dataclass, field

from services.shared.errors import Forbidden

KINDS = ("employee", "contact", "partner_link", "system")
CLIENT_SCOPES = ("none", "own", "company")


@dataclass(frozen=True)
class Actor:
    account_id: str
    kind: str
    id: str
    roles: tuple = field(default_factory=tuple)
    client_id: str = None
    client_scope: str = None

    @classmethod
    def from_dict(cls, data):
        """Rebuild the actor that crossed the bus; anything malformed is refused, never guessed."""
        if not isinstance(data, dict):
            raise Forbidden("The call carries no actor.")
        account_id, kind, actor_id = data.get("account_id"), data.get("kind"), data.get("id")
        if not (isinstance(account_id, str) and account_id and isinstance(actor_id, str) and actor_id):
            raise Forbidden("The actor names no account or no identity.")
        if kind not in KINDS:
            raise Forbidden("The actor's kind is unknown.")
        scope = data.get("client_scope")
        if kind == "contact" and (not data.get("client_id") or scope not in CLIENT_SCOPES):
            raise Forbidden("A client contact must carry its client company and access scope.")
        return cls(account_id=account_id, kind=kind, id=actor_id,
                   roles=tuple(data.get("roles") or ()), client_id=data.get("client_id"),
                   client_scope=scope)

    def to_dict(self):
        data = asdict(self)
        data["roles"] = list(self.roles)
        return data

    @property
    def is_contact(self):
        return self.kind == "contact"

    def as_reference(self):
        """How the actor is recorded as the author of a change."""
        return {"kind": self.kind, "id": self.id}
