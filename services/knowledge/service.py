"""The knowledge service. It owns the 'knowledge' database; its domain arrives with its own issue."""
from services.shared import health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class KnowledgeService(health.HealthEntrypoints):
    name = "knowledge"

    database = StoreProvider("knowledge")
    metrics = ServiceMetrics(default_port=9102)
