"""Correlations: which local ticket is linked to which remote ticket over which link.

One record per ticket and link (a ticket shared with two partners has two), holding the remote
id and number (shown on the ticket), the side this account plays (`origin` if it shared the
ticket, `replica` if it was shared with it), the stamp of the status in force and the conflicts
recorded by conflicts.py. The origin side learns the remote id only when the partner answers,
so it is attached later, once.

Status stamps are written with a guard on the stamp that was read: two replicas judging two
changes of one ticket at once cannot both win; the loser reads again and judges again.
"""
import secrets

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.conflicts import SIDES
from services.partner_bridge.correlations import ACTIVE, INACTIVE
from services.shared.errors import Conflict, NotFound
from services.shared.paging import fetch_page

MAX_CONFLICTS_KEPT = 100


class CorrelationStore:
    def __init__(self, db):
        self.correlations = db.partner_correlations

    @staticmethod
    def create_indexes(db):
        db.partner_correlations.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("local_ticket_id", ASCENDING)],
            unique=True)
        db.partner_correlations.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("remote_ticket_id", ASCENDING)])
        db.partner_correlations.create_index(
            [("account_id", ASCENDING), ("local_ticket_id", ASCENDING)])

    def open(self, account_id, link_id, local_ticket_id, *, side, now, remote_ticket_id=None,
             remote_number=None, revision=None, context=None):
        """`revision`: the ticket's revision when the link started to hear of it (the share's
        view, or the ticket opened for the partner); changes up to it are not sent again.
        `context`: what a ticket opened for a partner says after the partner's description."""
        if side not in SIDES:
            raise ValueError(f"side is one of {SIDES}")
        if remote_ticket_id is not None and self.by_remote(account_id, link_id, remote_ticket_id):
            raise Conflict("That remote ticket is linked already.", {"link_id": link_id})
        doc = {"_id": secrets.token_hex(12), "account_id": account_id, "link_id": link_id,
               "local_ticket_id": local_ticket_id, "remote_ticket_id": remote_ticket_id,
               "remote_number": remote_number, "side": side, "state": ACTIVE,
               "status_stamp": None, "conflicts": [], "revision": revision, "context": context,
               "created_at": now,
               "updated_at": now}
        try:
            self.correlations.insert_one(doc)
        except DuplicateKeyError:
            raise Conflict("This ticket is shared over that link already.",
                           {"link_id": link_id, "ticket_id": local_ticket_id}) from None
        return doc

    def get(self, account_id, correlation_id):
        doc = self.correlations.find_one({"account_id": account_id, "_id": correlation_id})
        if doc is None:
            raise NotFound(f"No correlation {correlation_id}.")
        return doc

    def by_remote(self, account_id, link_id, remote_ticket_id):
        return self.correlations.find_one({"account_id": account_id, "link_id": link_id,
                                           "remote_ticket_id": remote_ticket_id})

    def of_ticket(self, account_id, local_ticket_id, state=ACTIVE):
        """The ticket's correlations, one per link it is shared over: where its changes go."""
        return list(self.correlations.find({"account_id": account_id,
                                            "local_ticket_id": local_ticket_id, "state": state}))

    def attach_remote(self, account_id, correlation_id, remote_ticket_id, remote_number, *, now):
        """Record the partner's id and number once it answers; the same answer again is fine."""
        current = self.get(account_id, correlation_id)
        if current["remote_ticket_id"] not in (None, remote_ticket_id):
            raise Conflict("This correlation names another remote ticket already.",
                           {"remote_ticket_id": current["remote_ticket_id"]})
        other = self.by_remote(account_id, current["link_id"], remote_ticket_id)
        if other is not None and other["_id"] != correlation_id:
            raise Conflict("That remote ticket is linked to another ticket already.")
        return self.correlations.find_one_and_update(
            {"account_id": account_id, "_id": correlation_id,
             "remote_ticket_id": {"$in": [None, remote_ticket_id]}},
            {"$set": {"remote_ticket_id": remote_ticket_id, "remote_number": remote_number,
                      "updated_at": now}}, return_document=ReturnDocument.AFTER)

    def describe(self, account_id, correlation_id, summary):
        """What reports group by (title, equipment), kept once when the correlation opens."""
        self.correlations.update_one({"account_id": account_id, "_id": correlation_id},
                                     {"$set": {"summary": summary}})

    def retitle(self, account_id, local_ticket_id, title):
        """The ticket's title changed: reports show the current one, not the first shared."""
        self.correlations.update_many({"account_id": account_id, "local_ticket_id": local_ticket_id},
                                      {"$set": {"summary.title": title}})

    def keep_partner_text(self, account_id, correlation_id, texts, *, now):
        """The partner's latest title and description (`{"title", "description"}`, either),
        kept whether or not they replaced ours (sharing.keep_local_text)."""
        self.correlations.update_one(
            {"account_id": account_id, "_id": correlation_id},
            {"$set": dict({f"partner_text.{name}": value for name, value in texts.items()},
                          **{"partner_text.updated_at": now})})

    def note_written(self, account_id, correlation_id, texts):
        """What the bridge wrote into the local ticket's title or description."""
        self.correlations.update_one({"account_id": account_id, "_id": correlation_id},
                                     {"$set": {f"written.{name}": value
                                               for name, value in texts.items()}})

    def note_reply(self, account_id, correlation_id, *, at, resolved):
        """The partner's first answer (a status or a comment) and its resolution, each kept
        once: the reaction and resolution times reports show."""
        self.correlations.update_one(
            {"account_id": account_id, "_id": correlation_id, "first_reply_at": None},
            {"$set": {"first_reply_at": at}})
        if resolved:
            self.correlations.update_one(
                {"account_id": account_id, "_id": correlation_id, "remote_resolved_at": None},
                {"$set": {"remote_resolved_at": at}})

    def page(self, account_id, query):
        """Correlations for lists: newest first, filtered by link, local ticket or side."""
        base = {"account_id": account_id}
        for name, field in (("link_id", "link_id"), ("ticket_id", "local_ticket_id"),
                            ("side", "side")):
            if query.get(name):
                base[field] = query[name]
        return fetch_page(self.correlations, base, "created_at", True, query.get("cursor"),
                          query["limit"])

    def all_of(self, account_id, limit=5000):
        """An account's correlations for a report, newest first (bounded)."""
        return list(self.correlations.find({"account_id": account_id}).sort(
            [("created_at", -1)]).limit(limit))

    def set_status_stamp(self, account_id, correlation_id, *, read, new, now, conflict=None):
        """Put `new` in force if `read` still is; record `conflict` with it. False: read again."""
        update = {"$set": {"status_stamp": new.as_dict(), "updated_at": now}}
        if conflict is not None:
            # Bounded: a ticket flapping for months must not grow its record without end.
            update["$push"] = {"conflicts": {"$each": [conflict], "$slice": -MAX_CONFLICTS_KEPT}}
        result = self.correlations.update_one(
            {"account_id": account_id, "_id": correlation_id,
             "status_stamp": None if read is None else read.as_dict()}, update)
        return result.matched_count == 1

    def record_conflict(self, account_id, correlation_id, conflict, *, now):
        """A conflict this side lost or that changed no stamp: recorded without touching it."""
        self.correlations.update_one(
            {"account_id": account_id, "_id": correlation_id},
            {"$push": {"conflicts": {"$each": [conflict], "$slice": -MAX_CONFLICTS_KEPT}},
             "$set": {"updated_at": now}})

    def close(self, account_id, correlation_id, *, now):
        """Stop syncing this pair (the link was revoked, or someone unshared the ticket)."""
        doc = self.correlations.find_one_and_update(
            {"account_id": account_id, "_id": correlation_id},
            {"$set": {"state": INACTIVE, "updated_at": now}}, return_document=ReturnDocument.AFTER)
        if doc is None:
            raise NotFound(f"No correlation {correlation_id}.")
        return doc
