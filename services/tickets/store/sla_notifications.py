"""The notification records the `notify` escalation writes (the watcher writes them; this reads
them): an account's, newest first, by ticket, target, kind and period."""
from services.shared.errors import NotFound
from services.shared.paging import fetch_page, period


class SlaNotificationStore:
    def __init__(self, db):
        self.records = db.sla_notifications

    @staticmethod
    def create_indexes(db):
        db.sla_notifications.create_index([("account_id", 1), ("created_at", -1)])
        db.sla_notifications.create_index([("account_id", 1), ("ticket_id", 1), ("created_at", -1)])

    def list(self, account_id, query):
        conditions = [{"account_id": account_id}]
        conditions += [{name: query[name]} for name in ("ticket_id", "target", "kind")
                       if name in query]
        conditions += period("created_at", query)
        return fetch_page(self.records, {"$and": conditions}, "created_at", True,
                          query.get("cursor"), query["limit"])

    def get(self, account_id, notification_id):
        record = self.records.find_one({"_id": notification_id, "account_id": account_id})
        if record is None:
            raise NotFound(f"No SLA notification {notification_id}.")
        return record
