"""The billing_sync database, one module per collection group, opened together as the
service's `store`: connections, counterparty mappings, sync runs, what runs learnt (snapshots),
1C's data versions and export jobs."""
from services.billing_sync.store.connections import ConnectionStore
from services.billing_sync.store.exports import ExportStore
from services.billing_sync.store.mappings import MappingStore
from services.billing_sync.store.runs import RunStore
from services.billing_sync.store.snapshots import ContractSnapshots, PaymentLedger, PriceListSnapshot
from services.billing_sync.store.versions import VersionStore

PARTS = {"connections": ConnectionStore, "mappings": MappingStore, "runs": RunStore,
         "contracts": ContractSnapshots, "payments": PaymentLedger, "prices": PriceListSnapshot,
         "exports": ExportStore, "versions": VersionStore}


class Store:
    def __init__(self, db):
        self.db = db
        for name, store_class in PARTS.items():
            setattr(self, name, store_class(db))

    @staticmethod
    def create_indexes(db):
        for store_class in PARTS.values():
            store_class.create_indexes(db)
