"""Who is calling: the first argument of every RPC that reads or changes account data.

The gateway builds the actor from the credential; services trust only what it says and scope
every query by `account_id` (and, for a client contact, by `client_id` and `client_scope`).
"""
from dataclasses import asdict, dataclass, field, replace

from services.shared.errors import Forbidden

KINDS = ("employee", "contact", "partner_link", "system", "owner")
CLIENT_SCOPES = ("none", "own", "company")


@dataclass(frozen=True)
class Actor:
    account_id: str
    kind: str
    id: str
    roles: tuple = field(default_factory=tuple)
    client_id: str = None
    client_scope: str = None
    credential_id: str = None
    # A contact's company as audiences are chosen by: its category and the service levels of
    # its active contracts (knowledge articles for chosen clients).
    client_category: str = None
    service_levels: tuple = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the actor that crossed the bus; anything malformed is refused, never guessed."""
        if not isinstance(data, dict):
            raise Forbidden("The call carries no actor.")
        account_id, kind, actor_id = data.get("account_id"), data.get("kind"), data.get("id")
        if kind not in KINDS:
            raise Forbidden("The actor's kind is unknown.")
        # The installation owner manages accounts and belongs to none.
        if kind != "owner" and not (isinstance(account_id, str) and account_id):
            raise Forbidden("The actor names no account.")
        if not (isinstance(actor_id, str) and actor_id):
            raise Forbidden("The actor names no identity.")
        scope = data.get("client_scope")
        if kind == "contact" and (not data.get("client_id") or scope not in CLIENT_SCOPES):
            raise Forbidden("A client contact must carry its client company and access scope.")
        return cls(account_id=account_id, kind=kind, id=actor_id,
                   roles=tuple(data.get("roles") or ()), client_id=data.get("client_id"),
                   client_scope=scope, credential_id=data.get("credential_id"),
                   client_category=data.get("client_category"),
                   service_levels=tuple(data.get("service_levels") or ()))

    def to_dict(self):
        data = asdict(self)
        data["roles"] = list(self.roles)
        data["service_levels"] = list(self.service_levels)
        return data

    @property
    def is_contact(self):
        return self.kind == "contact"

    @property
    def is_employee(self):
        return self.kind == "employee"

    def with_account(self, account_id):
        return replace(self, account_id=account_id)

    def as_reference(self):
        """How the actor is recorded as the author of a change."""
        return {"kind": self.kind, "id": self.id}
