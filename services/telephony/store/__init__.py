"""The telephony database: PBX integrations per account, calls folded from their events, and
the callback claims that keep one callback ticket per caller per window."""
from services.shared.audit_trail import AuditTrail
from services.shared.storage import PartedStore
from services.telephony.store.callbacks import CallbackClaims
from services.telephony.store.calls import CallStore, Recorded
from services.telephony.store.integrations import IntegrationStore

__all__ = ["Recorded", "Store"]



class Store(PartedStore):
    """What the service's workers get: the telephony database's stores."""

    PARTS = {"integrations": IntegrationStore, "calls": CallStore, "callbacks": CallbackClaims,
             "audit": AuditTrail}
