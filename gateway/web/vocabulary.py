"""The words people see for the tickets' fixed vocabularies (the values are the services'; the
texts are msgids of gateway/web/translations). Templates reach them as `labels`."""
STATUS = {"opened": "Open", "in_progress": "In progress", "waiting": "Waiting",
          "resolved": "Resolved", "closed": "Closed", "reopened": "Reopened"}
PRIORITY = {"low": "Low", "normal": "Normal", "high": "High", "critical": "Critical"}
SORT = {"-created_at": "Newest first", "created_at": "Oldest first",
        "-updated_at": "Recently changed", "-priority": "Priority, highest first",
        "sla_deadline": "Nearest SLA deadline", "number": "Number"}

LABELS = {"status": STATUS, "priority": PRIORITY, "sort": SORT}
