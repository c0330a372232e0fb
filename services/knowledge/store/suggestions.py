"""Suggestion records: one per suggestion shown for a draft ticket (suggestions.py says what
they hold and who reaches them)."""
import uuid
from datetime import date, datetime, time, timedelta

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed


class SuggestionStore:
    def __init__(self, db):
        self.records = db.suggestions

    @staticmethod
    def create_indexes(db):
        db.suggestions.create_index([("account_id", 1), ("created_at", 1)])
        db.suggestions.create_index([("account_id", 1), ("shown", 1), ("created_at", 1)])

    def create(self, actor, shown):
        record = {"_id": uuid.uuid4().hex, "account_id": actor.account_id,
                  "actor": actor.as_reference(), "created_at": utcnow(), "shown": list(shown),
                  "opened": [], "outcome": None}
        self.records.insert_one(record)
        return record

    @staticmethod
    def _own(actor, suggestion_id):
        return {"_id": suggestion_id, "account_id": actor.account_id,
                "actor": actor.as_reference()}

    def of_account(self, account_id, suggestion_id):
        """Whether the account has a suggestion record with this id (whoever it was shown to)."""
        return self.records.find_one({"_id": suggestion_id, "account_id": account_id},
                                     {"_id": 1}) is not None

    def get(self, actor, suggestion_id):
        record = self.records.find_one(self._own(actor, suggestion_id))
        if record is None:
            raise NotFound(f"No suggestion {suggestion_id}.")
        return record

    def opened(self, actor, suggestion_id, article_id):
        """Record that `article_id`, one of the articles shown, was opened (again: no change)."""
        record = self.get(actor, suggestion_id)
        if article_id not in record["shown"]:
            raise ValidationFailed.from_fields(
                {"article_id": ["Not one of the articles this suggestion showed."]})
        self.records.update_one(self._own(actor, suggestion_id),
                                {"$addToSet": {"opened": article_id}})
        return self.get(actor, suggestion_id)

    def outcome(self, actor, suggestion_id, data):
        """Record whether a ticket was still created; once. The same outcome again changes
        nothing; a different one is a Conflict."""
        self.get(actor, suggestion_id)
        outcome = {"ticket_created": data["ticket_created"], "ticket_id": data.get("ticket_id"),
                   "recorded_at": utcnow()}
        self.records.update_one({**self._own(actor, suggestion_id), "outcome": None},
                                {"$set": {"outcome": outcome}})
        record = self.get(actor, suggestion_id)
        recorded = record["outcome"]
        if (recorded["ticket_created"], recorded.get("ticket_id")) != (
                outcome["ticket_created"], outcome["ticket_id"]):
            raise Conflict("This suggestion's outcome is already recorded.",
                           {"field": "ticket_created"})
        return record

    def ticket_followed(self, account_id, suggestion_id, creator, ticket_id):
        """A ticket was created with this suggestion (the tickets service's `ticket_created`
        names it), by the actor who was shown it: the outcome is "ticket created" with that
        ticket. It also replaces an earlier "no ticket" (the client came back after all); an
        outcome naming another ticket stays. Whether anything changed."""
        changed = self.records.update_one(
            {"_id": suggestion_id, "account_id": account_id, "actor.kind": creator.get("kind"),
             "actor.id": creator.get("id"),
             "$or": [{"outcome": None}, {"outcome.ticket_created": False}]},
            {"$set": {"outcome": {"ticket_created": True, "ticket_id": ticket_id,
                                  "recorded_at": utcnow()}}})
        return bool(changed.modified_count)

    def in_period(self, account_id, first_day=None, last_day=None, article_id=None):
        """The account's records created from `first_day` to `last_day` (ISO dates, UTC,
        both included), those that showed `article_id` only if given."""
        scope = {"account_id": account_id}
        period = {}
        if first_day:
            period["$gte"] = datetime.combine(date.fromisoformat(first_day), time.min)
        if last_day:
            period["$lt"] = datetime.combine(date.fromisoformat(last_day) + timedelta(days=1),
                                             time.min)
        if period:
            scope["created_at"] = period
        if article_id:
            scope["shown"] = article_id
        return list(self.records.find(scope, {"shown": 1, "opened": 1, "outcome": 1}))
