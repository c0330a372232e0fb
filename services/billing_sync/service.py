"""The billing_sync service. It owns the 'billing_sync' database; its domain arrives with its own issue."""
from services.shared import health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class BillingSyncService(health.HealthEntrypoints):
    name = "billing_sync"

    database = StoreProvider("billing_sync")
    metrics = ServiceMetrics(default_port=9104)
