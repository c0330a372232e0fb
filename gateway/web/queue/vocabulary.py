"""Words for the queue's own filters (the values are the tickets service's; the texts are msgids of
this area's catalogs). Templates reach them as `queue_labels`."""
SLA_STATE = {"running": "Running", "warning": "Due soon", "breached": "SLA breached",
             "paused": "SLA paused", "met": "Met"}
SLA_TARGET = {"reaction": "Reaction", "resolution": "Resolution"}
CHANNEL = {"phone": "Phone", "email": "Email", "portal": "Portal", "api": "API", "qr": "QR label",
           "partner": "Partner"}

PAYMENT_STATE = {"paid": "Paid", "unpaid": "Unpaid", "overdue": "Payment overdue"}

QUEUE_LABELS = {"sla_state": SLA_STATE, "sla_target": SLA_TARGET, "channel": CHANNEL,
                "payment_state": PAYMENT_STATE}
