"""Authentication, sessions, passwords, API tokens and the audit log."""
from datetime import timedelta

from nameko.rpc import rpc

from services.shared.actor import Actor
from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.errors import EXPECTED, Forbidden, NotFound, ValidationFailed
from services.shared.validation import load
from services.tickets.directory import authentication
from services.tickets.directory.schemas import (AuditEntrySchema, AuditQuerySchema,
                                                CredentialSchema, IssuedCredentialSchema,
                                                LoginSchema, PasswordChangeSchema,
                                                PasswordResetSchema, TokenCreateSchema)
from services.tickets.guard import Guard
from services.tickets.permissions import allowed, require

LOGIN, CHANGE, RESET = LoginSchema(), PasswordChangeSchema(), PasswordResetSchema()
TOKEN_CREATE, CREDENTIAL = TokenCreateSchema(), CredentialSchema()
CREDENTIALS, ISSUED = CredentialSchema(many=True), IssuedCredentialSchema()
AUDIT_QUERY, AUDIT_ENTRIES = AuditQuerySchema(), AuditEntrySchema(many=True)
PERSON_KINDS = ("employee", "contact")
PAGE_QUERY = CursorPageQuerySchema()


class AuthEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def authenticate(self, token):
        """The actor a bearer token stands for, checked against the token, person and account."""
        if not isinstance(token, str) or not token:
            raise ValidationFailed.from_fields({"token": ["Missing."]})
        return authentication.authenticate(self.store, token).to_dict()

    @rpc(expected_exceptions=EXPECTED)
    def login(self, data):
        data = load(LOGIN, data)
        secret, credential, actor = authentication.login(self.store, data["account"],
                                                         data["login"], data["password"])
        self.store.audit.record(actor, "login.succeeded", actor.kind, actor.id)
        return dict(ISSUED.dump(dict(credential, token=secret)), actor=actor.to_dict())

    @rpc(expected_exceptions=EXPECTED)
    def logout(self, actor):
        actor = self.actor_of(actor)
        if actor.credential_id:
            self.store.credentials.revoke(actor.credential_id)
        if actor.account_id:  # the owner's token is configuration: nothing to sign out of
            self.store.audit.record(actor, "logout", actor.kind, actor.id)
        return {"revoked": actor.credential_id}

    @rpc(expected_exceptions=EXPECTED)
    def change_password(self, actor, data):
        actor = self.actor_of(actor)
        if actor.kind not in PERSON_KINDS:
            raise Forbidden("Only people have passwords.")
        data = load(CHANGE, data)
        authentication.change_password(self.store, actor, data["current_password"],
                                       data["new_password"])
        self.store.audit.record(actor, "password.changed", actor.kind, actor.id)
        return {"changed": True}

    @rpc(expected_exceptions=EXPECTED)
    def issue_password_reset(self, actor, person_kind, person_id, client_id=None):
        actor = self.authorized(actor, "passwords.reset")
        if person_kind not in PERSON_KINDS:
            raise ValidationFailed.from_fields({"person_kind": ["employee or contact"]})
        if person_kind == "contact":
            self.store.contacts.get(actor.account_id, str(person_id), client_id and str(client_id))
        ref = {"kind": person_kind, "id": str(person_id)}
        secret, credential = authentication.issue_reset(self.store, actor, ref)
        self.store.audit.record(actor, "password.reset_issued", person_kind, ref["id"])
        return ISSUED.dump(dict(credential, token=secret))

    @rpc(expected_exceptions=EXPECTED)
    def redeem_password_reset(self, data):
        data = load(RESET, data)
        account_id, ref = authentication.redeem_reset(self.store, data["account"],
                                                      data["token"], data["new_password"])
        person = Actor(account_id=account_id, kind=ref["kind"], id=ref["id"])
        self.store.audit.record(person, "password.reset", ref["kind"], ref["id"])
        return {"changed": True}

    @rpc(expected_exceptions=EXPECTED)
    def create_token(self, actor, data):
        actor = self.authorized(actor, "tokens.own")
        data = load(TOKEN_CREATE, data)
        employee_id = data.get("employee_id", actor.id)
        if employee_id != actor.id:
            require(actor, "tokens.any")
        employee = self.store.employees.get(actor.account_id, employee_id)
        secret, credential = self.store.credentials.issue(
            actor.account_id, {"kind": "employee", "id": employee["_id"]}, "api_token",
            timedelta(days=data["expires_in_days"]), name=data["name"],
            created_by=actor.as_reference())
        self.store.audit.record(actor, "token.created", "credential", credential["_id"],
                                for_employee=employee["_id"], name=data["name"])
        return ISSUED.dump(dict(credential, token=secret))

    @rpc(expected_exceptions=EXPECTED)
    def list_tokens(self, actor, query):
        actor = self.authorized(actor, "tokens.own")
        everybody = allowed(actor, "tokens.any")
        docs, next_cursor = self.store.credentials.list(actor.account_id, load(PAGE_QUERY, query),
                                                        None if everybody else actor.id)
        return {"items": CREDENTIALS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def revoke_token(self, actor, credential_id):
        actor = self.authorized(actor, "tokens.own")
        credential = self.store.credentials.get(actor.account_id, str(credential_id))
        if credential["actor"]["id"] != actor.id and not allowed(actor, "tokens.any"):
            # Somebody else's token is as unknown to this actor as one that does not exist.
            raise NotFound(f"No credential {credential_id}.")
        self.store.credentials.revoke(credential["_id"])
        self.store.audit.record(actor, "token.revoked", "credential", credential["_id"])
        return CREDENTIAL.dump(self.store.credentials.get(actor.account_id, credential["_id"]))

    @rpc(expected_exceptions=EXPECTED)
    def list_audit(self, actor, query):
        actor = self.authorized(actor, "audit.read")
        docs, next_cursor = self.store.audit.list(actor.account_id, load(AUDIT_QUERY, query))
        return {"items": AUDIT_ENTRIES.dump(docs), "next_cursor": next_cursor}
