"""Tickets in MongoDB: every read and write scoped by the actor's account (and client)."""
import re
import uuid

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, Forbidden, NotFound
from services.shared.events import (create_outbox_index, outbox_entry, publish_outboxes,
                                    relay_outbox)
from services.shared.paging import fetch_page
from services.tickets.sla import recording, tracking
from services.tickets.store.sla_sources import SlaSources
from services.tickets.tickets import announcements
from services.tickets.tickets.history import history_entry, next_revision, origin_key
from services.tickets.tickets.search import search_terms
from services.tickets.tickets.vocabulary import PRIORITY_RANK
from services.tickets.tickets.workflow import INITIAL_STATUS, check_transition

SORT_FIELDS = {"number": "number", "created_at": "created_at", "updated_at": "updated_at",
               "priority": "priority_rank", "sla_deadline": "sla_sort_at"}
EDITABLE = ("title", "description", "priority", "type", "client_id", "contact_id", "assignee_id",
            "assignee_group_id")
CONTACT_CHANNELS = ("portal", "qr")  # how a contact's own tickets can arrive
LIST_PROJECTION = {"comments": 0, "history": 0, "outbox": 0, "outbox_pending": 0,
                   "description": 0, "works": 0, "origin_keys": 0, "search_terms": 0}


def new_id():
    return uuid.uuid4().hex


# Services acting for the whole account: partner_bridge applying a partner's change (as the
# link) or reading a shared ticket (as the system). Only the federation entrypoints admit them.
ACCOUNT_WIDE_KINDS = ("partner_link", "system")


def scope(actor):
    """The filter that limits a query to what the actor may see; kinds not named here see nothing."""
    if actor.is_employee or actor.kind in ACCOUNT_WIDE_KINDS:
        return {"account_id": actor.account_id}
    if not actor.is_contact or actor.client_scope not in ("own", "company"):
        raise Forbidden("No access to tickets.")
    query = {"account_id": actor.account_id, "client_id": actor.client_id}
    if actor.client_scope == "own":
        query["$or"] = [{"contact_id": actor.id},
                        {"created_by.kind": "contact", "created_by.id": actor.id}]
    return query


def sla_state_condition(target, state, now):
    """A query matching tickets whose `target` is in `state` at `now`, from the derived fields:
    the same answer sla/clock.py's status gives, since time spent only grows while the clock
    runs."""
    met_at, due = f"sla.targets.{target}.met_at", f"sla.due.{target}"
    unmet = {met_at: None, "sla": {"$ne": None}}
    if state == "met":
        return {f"{due}.met_in_time": True}
    if state == "breached":
        return {"$or": [{f"{due}.met_in_time": False},
                        dict(unmet, **{f"{due}.deadline": {"$lte": now}})]}
    if state == "paused":
        return dict(unmet, **{"sla.paused": True, f"{due}.deadline": None})
    if state == "warning":
        return dict(unmet, **{"sla.paused": False, f"{due}.warning_at": {"$lte": now},
                              f"{due}.deadline": {"$gt": now}})
    return dict(unmet, **{"sla.paused": False, f"{due}.warning_at": {"$gt": now}})


def search_condition(search, staff):
    """A query matching what a `q` names (tickets/search.py). The text as typed is matched in the
    title and description too, which also finds tickets stored before they had search terms.
    `staff`: the phone is also looked for in the ticket's calls and its QR reporter's number,
    which contacts are not shown."""
    alternatives = []
    if search["phone"] and staff:
        alternatives += [{"calls.number": search["phone"]}, {"reporter.phone": search["phone"]}]
    if search["number"] is not None:
        alternatives.append({"number": search["number"]})
    if search["terms"]:
        alternatives.append({"search_terms": {"$all": search["terms"]}})
    for field, ids in (("client_id", search["client_ids"]), ("contact_id", search["contact_ids"]),
                       ("equipment_id", search["equipment_ids"])):
        if ids:
            alternatives.append({field: {"$in": ids}})
    pattern = {"$regex": re.escape(search["text"]), "$options": "i"}
    alternatives += [{"title": pattern}, {"description": pattern}]
    return {"$or": alternatives}


def sla_states_condition(states, targets, now):
    """Tickets with any of `targets` in any of `states`."""
    return {"$or": [sla_state_condition(t, s, now) for t in targets for s in states]}


class TicketStore:
    def __init__(self, db):
        self.tickets = db.tickets
        self.counters = db.counters
        self.sla_sources = SlaSources(db)

    @staticmethod
    def create_indexes(db):
        db.tickets.create_index([("account_id", 1), ("number", 1)], unique=True)
        db.tickets.create_index([("account_id", 1), ("created_at", -1)])
        # The queue (open statuses, newest first) reads its page in this index's order.
        db.tickets.create_index([("account_id", 1), ("status", 1), ("created_at", -1)])
        create_outbox_index(db.tickets)
        # The SLA watcher reads due tickets by this index; lists sort by the next deadline.
        db.tickets.create_index([("account_id", 1), ("sla_next_deadline", 1)])
        db.tickets.create_index([("account_id", 1), ("sla_sort_at", 1)])
        db.tickets.create_index([("account_id", 1), ("sla.contract_id", 1)])
        # Text search (tickets/search.py): one key per term of the title and description.
        db.tickets.create_index([("account_id", 1), ("search_terms", 1)])
        # Tickets from before the SLA clock sort after every deadline (a cursor needs a value).
        db.tickets.update_many({"sla_sort_at": {"$exists": False}},
                               {"$set": {"sla_sort_at": tracking.FAR_FUTURE}})

    def _next_number(self, account_id):
        counter = self.counters.find_one_and_update(
            {"_id": f"ticket_number:{account_id}"}, {"$inc": {"value": 1}},
            upsert=True, return_document=ReturnDocument.AFTER)
        return counter["value"]

    def create(self, actor, data, ticket_id=None):
        """`ticket_id` fixes the id, so that a second create with it fails on the primary key
        (Conflict) instead of opening a second ticket (tickets/federation.py derives it from the
        partner's key)."""
        if actor.is_contact:
            scope(actor)  # a contact without portal access may not open tickets either
        now = utcnow()
        number = self._next_number(actor.account_id)
        # Coverage, billing, reporter and rating are always present (None when they do not apply): the event
        # payload names every field of the contract.
        ticket = dict(
            {"coverage": None, "billing": None, "reporter": None, "works_total": None,
             "suggestion_id": None, "rating": None}, **data,
            _id=ticket_id or new_id(),
            account_id=actor.account_id, number=number,
            status=INITIAL_STATUS, priority_rank=PRIORITY_RANK[data["priority"]], revision=1,
            created_by=actor.as_reference(), created_at=now, updated_at=now,
            comments=[], works=[], history=[history_entry(actor, now, "status", None, INITIAL_STATUS)],
            search_terms=search_terms(data["title"], data.get("description")))
        if actor.is_contact:
            # A contact opens tickets for their own company, through the portal.
            ticket.update(client_id=actor.client_id, contact_id=actor.id)
            if ticket["channel"] not in CONTACT_CHANNELS:
                ticket["channel"] = "portal"
        ticket.update(recording.opening(self.sla_sources, ticket, now))
        ticket["outbox"] = [outbox_entry("ticket_created", announcements.ticket_created(
            ticket, self.sla_views([ticket])[0]))]
        ticket["outbox_pending"] = True
        try:
            self.tickets.insert_one(ticket)
        except DuplicateKeyError:
            raise Conflict(f"Ticket {ticket['_id']} exists.", {"id": ticket["_id"]}) from None
        return ticket

    def get(self, actor, ticket_id):
        ticket = self.tickets.find_one(dict(scope(actor), _id=ticket_id))
        if ticket is None:
            raise NotFound(f"No ticket {ticket_id}.")
        return ticket

    def get_by_number(self, actor, number):
        ticket = self.tickets.find_one(dict(scope(actor), number=number))
        if ticket is None:
            raise NotFound(f"No ticket number {number}.")
        return ticket

    def list(self, actor, query):
        sort = query["sort"]
        return fetch_page(self.tickets, self.condition(actor, query), SORT_FIELDS[sort.lstrip("-")],
                          sort.startswith("-"), query.get("cursor"), query["limit"],
                          projection=LIST_PROJECTION)

    def count(self, actor, query):
        return self.tickets.count_documents(self.condition(actor, query))

    @staticmethod
    def condition(actor, query):
        """The selector of a list query (TicketListQuerySchema, loaded) the actor may see."""
        base = scope(actor)
        conditions = [base]
        for name in ("channel", "assignee_id", "assignee_group_id", "client_id", "contact_id",
                     "site_id", "equipment_id"):
            if name in query:
                conditions.append({name: query[name]})
        if "verdict" in query:
            conditions.append({"coverage.verdict": query["verdict"]})
        for name in ("status", "priority"):
            if query.get(name):
                conditions.append({name: {"$in": query[name]}})
        created = {}
        if "created_from" in query:
            created["$gte"] = query["created_from"]
        if "created_to" in query:
            created["$lt"] = query["created_to"]
        if created:
            conditions.append({"created_at": created})
        if query.get("sla_state"):
            targets = [query["sla_target"]] if query.get("sla_target") else list(tracking.TARGETS)
            conditions.append(sla_states_condition(query["sla_state"], targets, utcnow()))
        if "search" in query:
            conditions.append(search_condition(query["search"], staff=actor.is_employee))
        return {"$and": conditions} if len(conditions) > 1 else base

    def _apply(self, actor, ticket_id, update, expect=None):
        """One atomic update of a ticket the actor may see; `expect` guards against races."""
        selector = dict(scope(actor), _id=ticket_id, **(expect or {}))
        ticket = self.tickets.find_one_and_update(selector, update,
                                                  return_document=ReturnDocument.AFTER)
        if ticket is None:
            self.get(actor, ticket_id)  # raises NotFound when it is not there at all
        return ticket

    def update(self, actor, ticket_id, changes, level=None):
        """`level`: the (service_level_id, contract_id) covering the ticket after a change of
        client, for the SLA clock's new targets."""
        if actor.is_contact:
            raise Forbidden("Client contacts cannot edit tickets; they comment instead.")
        current = self.get(actor, ticket_id)
        now = utcnow()
        changed = {k: v for k, v in changes.items() if current.get(k) != v}
        if not changed:
            return current
        history = [history_entry(actor, now, k, current.get(k), v) for k, v in changed.items()]
        revision, expect = next_revision(current)
        event = outbox_entry("ticket_updated", announcements.ticket_updated(
            current, changed, actor, now, revision))
        fields = dict(changed, updated_at=now, revision=revision, outbox_pending=True)
        if "title" in changed or "description" in changed:
            merged = dict(current, **changed)
            fields["search_terms"] = search_terms(merged["title"], merged.get("description"))
        if "priority" in changed:
            fields["priority_rank"] = PRIORITY_RANK[changed["priority"]]
        expect.update({k: current.get(k) for k in changed})
        if "priority" in changed or level is not None:
            sla = recording.retargeted(self.sla_sources, current,
                                       priority=changed.get("priority", current["priority"]),
                                       client_id=changed.get("client_id", current.get("client_id")),
                                       level=level)
            if sla:
                fields.update(sla)
                expect["sla_rev"] = current.get("sla_rev")
        ticket = self._apply(actor, ticket_id, {"$set": fields, "$push": {
            "history": {"$each": history}, "outbox": event}}, expect)
        return ticket if ticket is not None else self.update(actor, ticket_id, changes, level)

    def change_status(self, actor, ticket_id, target, comment=None):
        current = self.get(actor, ticket_id)
        check_transition(current["status"], target)
        now = utcnow()
        pushes = {"history": history_entry(actor, now, "status", current["status"], target)}
        revision, expect = next_revision(current)
        event = outbox_entry("ticket_status_changed", announcements.ticket_status_changed(
            current, target, actor, comment, now, revision))
        pushes["outbox"] = event
        if comment:
            pushes["comments"] = self._comment(actor, now, comment, "public")
        fields = {"status": target, "updated_at": now, "outbox_pending": True, "revision": revision}
        expect["status"] = current["status"]
        sla = recording.status_changed(self.sla_sources, current, target, now, actor.is_employee,
                                       with_comment=bool(comment))
        if sla:
            fields.update(sla)
            expect["sla_rev"] = current.get("sla_rev")
        ticket = self._apply(actor, ticket_id, {"$set": fields, "$push": pushes}, expect=expect)
        if ticket is None:
            # Someone else moved it meanwhile: judge the request against the new status.
            return self.change_status(actor, ticket_id, target, comment)
        return ticket

    @staticmethod
    def _comment(actor, at, body, visibility, author_name=None, origin=None):
        author = actor.as_reference()
        if author_name:
            author["name"] = author_name  # a partner's author, who is nobody in this account
        comment = {"id": new_id(), "body": body, "visibility": visibility, "author": author,
                   "created_at": at}
        if origin:
            comment["origin"] = origin
        return comment

    def add_comment(self, actor, ticket_id, body, visibility):
        return self.comment(actor, ticket_id, body, visibility)[1]

    def comment(self, actor, ticket_id, body, visibility, *, author_name=None, origin=None):
        """Add a comment and its `ticket_commented` announcement; returns (ticket, comment), or
        (None, None) when a comment with this `origin` is there already (a partner's retry)."""
        if actor.is_contact and visibility != "public":
            raise Forbidden("Client contacts write public comments only.")
        current = self.get(actor, ticket_id)
        now = utcnow()
        comment = self._comment(actor, now, body, visibility, author_name, origin)
        entry = history_entry(actor, now, "comments", None, {"id": comment["id"],
                                                             "visibility": visibility})
        revision, expect = next_revision(current)
        event = outbox_entry("ticket_commented", announcements.ticket_commented(
            actor.account_id, ticket_id, comment, now, revision))
        fields = {"updated_at": now, "outbox_pending": True, "revision": revision}
        pushes = {"comments": comment, "history": entry, "outbox": event}
        sla = recording.commented(self.sla_sources, current, now, visibility, actor.is_employee)
        if sla:
            fields.update(sla)
            expect["sla_rev"] = current.get("sla_rev")
        if origin:
            key = origin_key(origin)
            expect["origin_keys"] = {"$ne": key}
            pushes["origin_keys"] = key
        ticket = self._apply(actor, ticket_id, {"$set": fields, "$push": pushes}, expect)
        if ticket is not None:
            return ticket, comment
        if origin and self.tickets.find_one({"_id": ticket_id, "account_id": actor.account_id,
                                             "origin_keys": key}, {"_id": 1}):
            return None, None
        # The SLA clock moved meanwhile: comment again over the ticket as it is now.
        return self.comment(actor, ticket_id, body, visibility, author_name=author_name,
                            origin=origin)

    def retarget_open(self, actor, selector, level=None):
        """Open tickets of the account matching `selector` get new targets: `level` (the
        (service_level_id, contract_id) a contract now sells) or, None, their own level again (a
        client's own targets changed). Time spent and pauses stay. Returns how many changed."""
        query = dict(selector, account_id=actor.account_id, sla={"$ne": None},
                     status={"$nin": ["resolved", "closed"]})
        changed = 0
        for ticket in self.tickets.find(query, {"comments": 0, "works": 0, "outbox": 0}):
            while ticket is not None:
                fields = recording.retargeted(self.sla_sources, ticket, priority=ticket["priority"],
                                              client_id=ticket.get("client_id"), level=level)
                old, new = ticket["sla"], fields["sla"]
                if (old["targets"], old.get("service_level_id")) == (new["targets"], new.get("service_level_id")):
                    break
                update = {"$set": fields}
                if old.get("service_level_id") != new.get("service_level_id"):
                    update["$push"] = {"history": history_entry(
                        actor, utcnow(), "sla.service_level_id", old.get("service_level_id"),
                        new.get("service_level_id"))}
                if self.tickets.update_one({"_id": ticket["_id"], "account_id": actor.account_id,
                                            "sla_rev": ticket.get("sla_rev")}, update).modified_count:
                    changed += 1
                    break
                # Changed meanwhile: compute again from what it is now.
                ticket = self.tickets.find_one(dict(query, _id=ticket["_id"]))
        return changed

    def with_clock(self, account_id, created_from, created_to, limit):
        """Tickets of the account created in [from, to) that have an SLA clock, for the report:
        only what the report reads."""
        found = self.tickets.find(
            {"account_id": account_id, "created_at": {"$gte": created_from, "$lt": created_to},
             "sla": {"$ne": None}},
            {"account_id": 1, "sla": 1, "client_id": 1, "assignee_id": 1, "assignee_group_id": 1})
        return list(found.limit(limit))

    def sla_views(self, docs):
        """What each ticket's SLA shows now (None for a ticket without a clock), calendars and
        accounts read once per call."""
        now, accounts, calendars, views = utcnow(), {}, {}, []
        for doc in docs:
            sla = doc.get("sla")
            if not sla:
                views.append(None)
                continue
            account_id = doc["account_id"]
            if account_id not in accounts:
                accounts[account_id] = self.sla_sources.account(account_id)
            key = (account_id, sla.get("calendar_id"))
            if key not in calendars:
                calendars[key] = self.sla_sources.calendar(accounts[account_id], key[1])
            views.append(tracking.view(sla, calendars[key], now))
        return views

    def add_work(self, actor, ticket, line, lines_total):
        now = utcnow()
        entry = history_entry(actor, now, "works", None, {"id": line["id"], "code": line["code"],
                                                          "quantity": line["quantity"]})
        return self._works_changed(actor, ticket, {
            "$push": {"works": line, "history": entry},
            "$set": {"works_total": lines_total, "updated_at": now}})

    def remove_work(self, actor, ticket, work_id, lines_total):
        now = utcnow()
        entry = history_entry(actor, now, "works", {"id": work_id}, None)
        return self._works_changed(actor, ticket, {
            "$pull": {"works": {"id": work_id}}, "$push": {"history": entry},
            "$set": {"works_total": lines_total, "updated_at": now}})

    def _works_changed(self, actor, ticket, update):
        # The total was computed from the lines read: apply only if nobody changed them since
        # (a revision counter; a ticket that never had works matches on a missing one).
        update = dict(update, **{"$inc": {"works_rev": 1}})
        changed = self._apply(actor, ticket["_id"], update, {"works_rev": ticket.get("works_rev")})
        if changed is None:
            raise Conflict("The ticket's works changed meanwhile; try again.")
        return changed

    def publish_pending(self, dispatch, ticket, service_name):
        self.publish_all_pending(dispatch, [ticket], service_name)

    def publish_all_pending(self, dispatch, tickets, service_name):
        publish_outboxes(dispatch, self.tickets, tickets, service_name)

    def relay(self, dispatch, service_name):
        relay_outbox(dispatch, self.tickets, service_name)
