"""Every store of the billing_sync database, opened together for the entrypoints."""
from services.billing_sync.connections import ConnectionStore
from services.billing_sync.exports import ExportStore
from services.billing_sync.mappings import MappingStore
from services.billing_sync.runs import RunStore
from services.billing_sync.snapshots import ContractSnapshots, PaymentLedger, PriceListSnapshot
from services.billing_sync.versions import VersionStore

PARTS = {"connections": ConnectionStore, "mappings": MappingStore, "runs": RunStore,
         "contracts": ContractSnapshots, "payments": PaymentLedger, "prices": PriceListSnapshot,
         "exports": ExportStore, "versions": VersionStore}


class BillingStore:
    def __init__(self, db):
        self.db = db
        for name, store_class in PARTS.items():
            setattr(self, name, store_class(db))

    @staticmethod
    def create_indexes(db):
        for store_class in PARTS.values():
            store_class.create_indexes(db)
