"""The billing_sync database, one module per collection group, opened together as the
service's `store`: connections, counterparty mappings, sync runs, what runs learnt (snapshots),
1C's data versions and export jobs."""
from services.shared.audit_trail import AuditTrail
from services.billing_sync.store.connections import ConnectionStore
from services.billing_sync.store.exports import ExportStore
from services.billing_sync.store.mappings import MappingStore
from services.billing_sync.store.runs import RunStore
from services.billing_sync.store.snapshots import ContractSnapshots, PaymentLedger, PriceListSnapshot
from services.billing_sync.store.versions import VersionStore
from services.shared.storage import PartedStore

PARTS = {"connections": ConnectionStore, "mappings": MappingStore, "runs": RunStore,
         "contracts": ContractSnapshots, "payments": PaymentLedger, "prices": PriceListSnapshot,
         "exports": ExportStore, "versions": VersionStore, "audit": AuditTrail}



class Store(PartedStore):
    PARTS = PARTS
