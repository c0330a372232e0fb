"""Business counters of partner_bridge."""
from prometheus_client import Counter

DELIVERIES = Counter("partner_deliveries_total", "Outbox items sent to partners, by result.",
                     ["transport", "outcome"])
CHANGES_RECEIVED = Counter("partner_changes_received_total",
                           "Changes received from partner installations, by result.", ["outcome"])
