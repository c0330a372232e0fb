"""The partner_bridge service. It owns the 'partner_bridge' database; its domain arrives with its own issue."""
from services.shared import health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class PartnerBridgeService(health.HealthEntrypoints):
    name = "partner_bridge"

    database = StoreProvider("partner_bridge")
    metrics = ServiceMetrics(default_port=9105)
