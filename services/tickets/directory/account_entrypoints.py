"""Accounts: the owner creates, lists and (de)activates them; an account's admin edits its own."""
from datetime import timedelta

from nameko.rpc import rpc

from services.shared.errors import EXPECTED, ValidationFailed
from services.shared.page_schemas import PageQuerySchema
from services.shared.validation import load
from services.tickets.directory.hashing import hash_password
from services.tickets.directory.schemas import (AccountCreateSchema, AccountSchema,
                                                AccountUpdateSchema, EmployeeSchema)
from services.tickets.guard import Guard

ACCOUNT, ACCOUNTS = AccountSchema(), AccountSchema(many=True)
PAGE_QUERY = PageQuerySchema()
CREATE, UPDATE, EMPLOYEE = AccountCreateSchema(), AccountUpdateSchema(), EmployeeSchema()
FIRST_TOKEN_TTL = timedelta(days=30)


class AccountEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def create_account(self, actor, data):
        """The account, its first admin, and an API token for that admin (shown once)."""
        actor = self.authorized(actor, "accounts.manage")
        data = load(CREATE, data)
        if data["settings"].get("sla_calendar_id") is not None:
            raise ValidationFailed.from_fields({"settings.sla_calendar_id": [
                "A new account has no calendars yet: choose one once it exists."]})
        admin_data = data.pop("admin")
        password = admin_data.pop("password", None)
        password_hash = hash_password(password) if password else None  # before anything is written
        account = self.store.accounts.create(data)
        try:
            admin = self.store.employees.create(account["_id"], dict(admin_data, roles=["admin"]),
                                                password_hash=password_hash)
        except BaseException:
            # No account without its admin: nobody could manage it.
            self.store.accounts.delete(account["_id"])
            raise
        secret, credential = self.store.credentials.issue(
            account["_id"], {"kind": "employee", "id": admin["_id"]}, "api_token",
            FIRST_TOKEN_TTL, name="first admin token", created_by=actor.as_reference())
        self.store.audit.record(actor, "account.created", "account", account["_id"],
                                account_id=account["_id"], slug=account["slug"])
        self.store.audit.record(actor, "token.created", "credential", credential["_id"],
                                account_id=account["_id"], for_employee=admin["_id"],
                                name=credential["name"])
        # The owner hands this token to the admin; it is shown this once.
        return {"account": ACCOUNT.dump(account), "admin": EMPLOYEE.dump(dict(admin, group_ids=[])),
                "admin_token": secret, "admin_token_id": credential["_id"]}

    @rpc(expected_exceptions=EXPECTED)
    def list_accounts(self, actor, query):
        self.authorized(actor, "accounts.manage")
        docs, next_cursor = self.store.accounts.list(load(PAGE_QUERY, query))
        return {"items": ACCOUNTS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def set_account_active(self, actor, account_id, active):
        actor = self.authorized(actor, "accounts.manage")
        account = self.store.accounts.update(str(account_id), {"active": bool(active)})
        self.store.audit.record(actor, "account.activated" if active else "account.deactivated",
                                "account", account["_id"], account_id=account["_id"])
        return ACCOUNT.dump(account)

    @rpc(expected_exceptions=EXPECTED)
    def get_my_account(self, actor):
        actor = self.authorized(actor, "account.read")
        return ACCOUNT.dump(self.store.accounts.get(actor.account_id))

    @rpc(expected_exceptions=EXPECTED)
    def update_my_account(self, actor, changes):
        actor = self.authorized(actor, "account.manage")
        changes = load(UPDATE, changes)
        calendar_id = changes.get("settings", {}).get("sla_calendar_id")
        if calendar_id is not None and not self.store.calendars.exists(actor.account_id,
                                                                            calendar_id):
            raise ValidationFailed.from_fields({"settings.sla_calendar_id": [
                "No business calendar of this account has this id."]})
        account = self.store.accounts.update(actor.account_id, changes)
        self.store.audit.record(actor, "account.updated", "account", actor.account_id,
                                fields=sorted(changes))
        return ACCOUNT.dump(account)
