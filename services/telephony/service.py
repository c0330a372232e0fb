"""The telephony service. It owns the 'telephony' database; its domain arrives with its own issue."""
from services.shared import health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class TelephonyService(health.HealthEntrypoints):
    name = "telephony"

    database = StoreProvider("telephony")
    metrics = ServiceMetrics(default_port=9103)
