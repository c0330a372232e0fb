"""The fixed vocabularies of a ticket."""
PRIORITIES = ("low", "normal", "high", "critical")
# Sorting by priority uses this rank so that "critical" comes first in descending order.
PRIORITY_RANK = {name: rank for rank, name in enumerate(PRIORITIES)}
CHANNELS = ("phone", "email", "portal", "api", "qr", "partner")
TYPES = ("incident", "request", "question", "maintenance")
SORTABLE = ("number", "created_at", "updated_at", "priority", "sla_deadline")
