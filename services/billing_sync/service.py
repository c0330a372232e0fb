"""The billing_sync service. It owns the 'billing_sync' database.

Its domain (profiles, reading 1C, matching, payment states, prices) lives in plain modules beside
this one (docs/billing-sync.md); the entrypoints that run syncs arrive with the sync runs.
"""
from services.shared import health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class BillingSyncService(health.HealthEntrypoints):
    name = "billing_sync"

    database = StoreProvider("billing_sync")
    metrics = ServiceMetrics(default_port=9104)
