"""Business counters of the telephony service (the edge counts requests in the gateway)."""
from prometheus_client import Counter

WEBHOOK_MESSAGES = Counter("telephony_webhook_messages_total",
                           "Queued webhook messages taken by the consumer.", ["vendor", "outcome"])
