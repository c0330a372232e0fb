"""PBX integrations: admins manage them; the webhook edge reads their secrets."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.telephony.access import admin
from services.telephony.schemas import (IntegrationQuerySchema, IntegrationSchema,
                                        IntegrationWriteSchema, WebhookSecretsSchema)

INTEGRATION, INTEGRATIONS = IntegrationSchema(), IntegrationSchema(many=True)
WRITE, QUERY, SECRETS = IntegrationWriteSchema(), IntegrationQuerySchema(), WebhookSecretsSchema()


class IntegrationEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def list_integrations(self, actor, query):
        actor = admin(actor)
        docs, next_cursor = self.store.integrations.list(actor.account_id, load(QUERY, query))
        return {"items": INTEGRATIONS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_integration(self, actor, integration_id):
        actor = admin(actor)
        return INTEGRATION.dump(self.store.integrations.get(actor.account_id,
                                                                str(integration_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_integration(self, actor, data):
        actor = admin(actor)
        integration = INTEGRATION.dump(self.store.integrations.create(actor.account_id,
                                                                      load(WRITE, data)))
        self._audit_integration(actor, "pbx_integration.created", integration)
        return integration

    @rpc(expected_exceptions=EXPECTED)
    def replace_integration(self, actor, integration_id, data):
        actor = admin(actor)
        integration = INTEGRATION.dump(self.store.integrations.replace(
            actor.account_id, str(integration_id), load(WRITE, data)))
        self._audit_integration(actor, "pbx_integration.updated", integration)
        return integration

    def _audit_integration(self, actor, action, integration):
        # Secrets are named (secrets_set), never shown.
        self.audit(actor, action, "pbx_integration", integration["id"], name=integration.get("name"),
                   dialect=integration.get("dialect"), enabled=integration.get("enabled"),
                   secrets_set=integration.get("secrets_set", []))

    @rpc(expected_exceptions=EXPECTED)
    def get_integration_secrets(self, integration_id):
        """For the gateway's webhook edge only (no actor: a PBX has none). The integration id
        is random, and the answer is never shown to a person."""
        return SECRETS.dump(self.store.integrations.webhook_secrets(str(integration_id)))
