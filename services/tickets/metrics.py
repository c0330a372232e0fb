"""Business counters of the tickets service."""
from prometheus_client import Counter

TICKETS_CREATED = Counter("tickets_created_total", "Tickets created.", ["channel"])
STATUS_CHANGES = Counter("ticket_status_changes_total", "Ticket status changes.", ["status"])
SLA_ANNOUNCED = Counter("sla_announcements_total", "SLA warnings and breaches announced.",
                        ["event_type"])
