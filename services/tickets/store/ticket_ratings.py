"""A client's rating of the work on a ticket, kept on the ticket itself (`rating`), so that
reports read it with the ticket."""
from pymongo import ReturnDocument

from services.shared.clock import utcnow
from services.shared.errors import Conflict
from services.tickets.store.tickets import scope


class TicketRatingStore:
    def __init__(self, db):
        self.tickets = db.tickets

    @staticmethod
    def create_indexes(db):
        db.tickets.create_index([("account_id", 1), ("rating.rated_at", 1)])

    def rated(self, account_id, since=None, until=None):
        """[{score, client_id}] of the account's tickets rated in [since, until)."""
        # Every ticket has `rating` (None until rated): the embedded engine, unlike MongoDB, lets
        # a condition on `rating.rated_at` through for a null `rating`, so the null is ruled out
        # on `rating` itself.
        selector = {"account_id": account_id, "rating": {"$ne": None}}
        when = {}
        if since:
            when["$gte"] = since
        if until:
            when["$lt"] = until
        if when:
            selector["rating.rated_at"] = when
        return [{"score": doc["rating"]["score"], "client_id": doc.get("client_id")}
                for doc in self.tickets.find(selector, {"rating.score": 1, "client_id": 1})]

    def rate(self, actor, ticket_id, score, comment, statuses):
        """Rate a ticket the actor sees, once, while its status is one of `statuses`; Conflict if
        it was rated meanwhile or moved on."""
        rating = {"score": score, "comment": comment, "rated_by": actor.as_reference(),
                  "rated_at": utcnow()}
        selector = dict(scope(actor), _id=ticket_id, rating=None, status={"$in": list(statuses)})
        ticket = self.tickets.find_one_and_update(selector, {"$set": {"rating": rating}},
                                                  return_document=ReturnDocument.AFTER)
        if ticket is None:
            raise Conflict("The ticket was rated already, or is no longer done.",
                           {"action": "rate"})
        return ticket
