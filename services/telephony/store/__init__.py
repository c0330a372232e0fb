"""The telephony database: PBX integrations per account, calls folded from their events, and
the callback claims that keep one callback ticket per caller per window."""
from services.telephony.store.callbacks import CallbackClaims
from services.telephony.store.calls import CallStore, Recorded
from services.telephony.store.integrations import IntegrationStore

__all__ = ["Recorded", "Store"]


class Store:
    """What the service's workers get: the telephony database's stores."""

    def __init__(self, db):
        self.integrations = IntegrationStore(db)
        self.calls = CallStore(db)
        self.callbacks = CallbackClaims(db)

    @staticmethod
    def create_indexes(db):
        IntegrationStore.create_indexes(db)
        CallStore.create_indexes(db)
        CallbackClaims.create_indexes(db)
