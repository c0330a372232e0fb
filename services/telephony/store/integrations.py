"""PBX integrations per account: the settings and secrets each webhook is read with."""
import uuid

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound
from services.shared.paging import fetch_page
from services.telephony.integrations import chosen_secrets, webhook_path


class IntegrationStore:
    def __init__(self, db):
        self.integrations = db.integrations

    @staticmethod
    def create_indexes(db):
        db.integrations.create_index([("account_id", 1), ("name", 1)])

    def get(self, account_id, integration_id):
        integration = self.integrations.find_one({"_id": integration_id,
                                                  "account_id": account_id})
        if integration is None:
            raise NotFound(f"No PBX integration {integration_id}.")
        return integration

    def list(self, account_id, query):
        scope = {"account_id": account_id}
        if "enabled" in query:
            scope["enabled"] = query["enabled"]
        return fetch_page(self.integrations, scope, "name", False, query.get("cursor"),
                          query["limit"])

    def create(self, account_id, data):
        integration_id = uuid.uuid4().hex
        now = utcnow()
        chosen = chosen_secrets(data["dialect"], data["secrets"], {})
        integration = dict(data, _id=integration_id, account_id=account_id, secrets=chosen,
                           webhook_path=webhook_path(account_id, integration_id, chosen),
                           version=1, created_at=now, updated_at=now)
        self.integrations.insert_one(integration)
        return integration

    def replace(self, account_id, integration_id, data):
        current = self.get(account_id, integration_id)
        # Keep the stored secrets when none are given and the dialect stays the same.
        kept = current["secrets"] if data["dialect"] == current["dialect"] else {}
        chosen = chosen_secrets(data["dialect"], data["secrets"], kept)
        changes = dict(data, secrets=chosen, version=current["version"] + 1, updated_at=utcnow(),
                       webhook_path=webhook_path(account_id, integration_id, chosen))
        applied = self.integrations.update_one(
            {"_id": integration_id, "account_id": account_id, "version": current["version"]},
            {"$set": changes})
        if not applied.matched_count:
            raise Conflict("The integration changed meanwhile; reload it and try again.",
                           {"field": "version"})
        return dict(current, **changes)

    def webhook_secrets(self, integration_id):
        """What the webhook edge caches to verify requests while this service may be down: the
        owning account, the dialect and the secrets of an enabled integration. NotFound for an
        unknown or disabled one, so nothing is queued for it."""
        integration = self.integrations.find_one({"_id": integration_id, "enabled": True},
                                                 {"account_id": 1, "dialect": 1, "secrets": 1})
        if integration is None:
            raise NotFound(f"No enabled PBX integration {integration_id}.")
        return {"account_id": integration["account_id"], "integration_id": integration_id,
                "dialect": integration["dialect"], "secrets": integration["secrets"]}

    def enabled(self):
        """Every enabled integration, for the quiet-end sweep."""
        return list(self.integrations.find({"enabled": True}))

    def webhook_target(self, account_id, integration_id):
        """What the webhook edge needs: the dialect's name and the secrets to verify with.
        An unknown or disabled integration is NotFound, so nothing is queued for it."""
        integration = self.integrations.find_one(
            {"_id": integration_id, "account_id": account_id, "enabled": True},
            {"dialect": 1, "secrets": 1})
        if integration is None:
            raise NotFound(f"No enabled PBX integration {integration_id}.")
        return integration["dialect"], integration["secrets"]
