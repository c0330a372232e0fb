"""The audit entries other services announce (`audited` events, services/shared/audit_trail.py)
join the account's one audit log: stored once per event, whatever the redeliveries."""
from services.shared.audit_trail import AUDITED, AUDITED_PAYLOAD
from services.shared.events import Inbox, reliable_handler
from services.shared.validation import load


class AuditIntake:
    audit_inbox = Inbox("tickets")

    def _store_audited(self, payload):
        self.store.audit.add(load(AUDITED_PAYLOAD, payload))

    @reliable_handler("telephony", AUDITED, inbox_attr="audit_inbox")
    def telephony_audited(self, payload):
        self._store_audited(payload)

    @reliable_handler("billing_sync", AUDITED, inbox_attr="audit_inbox")
    def billing_sync_audited(self, payload):
        self._store_audited(payload)

    @reliable_handler("partner_bridge", AUDITED, inbox_attr="audit_inbox")
    def partner_bridge_audited(self, payload):
        self._store_audited(payload)

    @reliable_handler("knowledge", AUDITED, inbox_attr="audit_inbox")
    def knowledge_audited(self, payload):
        self._store_audited(payload)
