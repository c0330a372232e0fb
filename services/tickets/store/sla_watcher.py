"""The SLA watcher: finds tickets with something due, announces each warning and breach once, and
carries out the account's escalation rules.

A scan reads, account by account, the tickets whose `sla_next_deadline` has passed (the index on
(account_id, sla_next_deadline)), so it touches only tickets with something to do. For each,
sla/escalation_plan.py decides what is due, and the watcher writes that as one conditional
update: the milestones as announced, their events in the ticket's outbox, the escalations'
effects (a new group, a raised priority with its new targets) and the escalations left for
working hours, guarded by the `sla_rev` it read and by the milestones not being announced yet.
Of several replicas scanning at once, or a scan racing an edit of the ticket, exactly one write
succeeds; the others change nothing and the ticket is looked at again in the next scan.
The updates of an account's due tickets go to the database as one bulk write (on the embedded
store one transaction, one disk flush), each still conditional on its own ticket: a burst of a
thousand due tickets costs a few writes, not a thousand.

Notification records are written just before those updates, each under its natural key (ticket,
target, milestone, rule): a replica that loses the race, or a crash between the two writes, writes
the same record again, which changes nothing. So every notice exists once.
"""
from collections import namedtuple

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from services.shared.events import outbox_entry
from services.tickets.sla import escalation_plan, tracking
from services.tickets.store.sla_notifications import SlaNotificationStore
from services.tickets.store.sla_sources import SlaSources

BATCH = 1000  # tickets per account and scan: the rest waits for the next scan, a few seconds later
DUPLICATE_KEY = 11000
Plan = namedtuple("Plan", "selector update notifications outbox")
# What the scan reads of a due ticket: what its SLA, events, notices and escalations need.
READ = ("account_id", "number", "priority", "client_id", "assignee_id", "assignee_group_id", "sla",
        "sla_rev")


class SlaWatcher:
    def __init__(self, db):
        self.tickets = db.tickets
        self.accounts = db.accounts
        self.notifications = db.sla_notifications
        self.sources = SlaSources(db)

    @staticmethod
    def create_indexes(db):
        SlaNotificationStore.create_indexes(db)

    def scan(self, now, batch=BATCH):
        """Handle every ticket due at `now`; returns the tickets whose announcements it wrote (to
        publish their outboxes)."""
        written = []
        for account in self.accounts.find({"active": True}, {"time_zone": 1, "settings": 1}):
            written += self.handle(account, self.due(account, now, batch), now)
        return written

    def due(self, account, now, batch=BATCH):
        """The account's tickets with something to do at `now`, the longest waiting first."""
        found = self.tickets.find({"account_id": account["_id"], "sla_next_deadline": {"$lte": now}},
                                  dict.fromkeys(READ, 1))
        return list(found.sort([("sla_next_deadline", 1)]).limit(batch))

    def handle(self, account, tickets, now):
        """Announce and escalate what is due on `tickets` (as `due` read them): the notification
        records in one bulk write, then one conditional update per ticket, all in one bulk write.
        Returns the tickets whose announcements this call wrote, each with the outbox entries it
        added (to publish); a ticket another writer changed since it was read is left to the next
        scan."""
        if not tickets:
            return []
        rules = self.sources.escalation_rules(account["_id"])
        plans = [self._plan(account, ticket, now, rules) for ticket in tickets]
        self._record([record for plan in plans for record in plan.notifications])
        result = self.tickets.bulk_write([UpdateOne(plan.selector, plan.update) for plan in plans],
                                         ordered=False)
        written = [plan for plan in plans if plan.outbox]
        if written and result.matched_count < len(plans):
            # Another writer got to some first: they hold its event ids, not these.
            events = {entry["id"] for plan in written for entry in plan.outbox}
            found = self.tickets.find({"_id": {"$in": [plan.selector["_id"] for plan in written]},
                                       "outbox_pending": True}, {"outbox.id": 1})
            ours = {t["_id"] for t in found if any(e["id"] in events for e in t["outbox"])}
            written = [plan for plan in written if plan.selector["_id"] in ours]
        return [{"_id": plan.selector["_id"], "outbox": plan.outbox} for plan in written]

    def _record(self, notifications):
        if not notifications:
            return
        try:
            self.notifications.bulk_write([UpdateOne({"_id": n["_id"]}, {"$setOnInsert": n},
                                                     upsert=True) for n in notifications],
                                          ordered=False)
        except BulkWriteError as error:
            # Two replicas upserting the same record at once: MongoDB refuses the second insert,
            # and the record the other wrote is the same one.
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise

    def _plan(self, account, ticket, now, rules):
        """One ticket's conditional update: sla/escalation_plan.py's decision, with the targets
        of a raised priority looked up."""
        sla = ticket["sla"]
        calendar = self.sources.calendar(account, sla.get("calendar_id"))
        decision = escalation_plan.decide(ticket, rules, calendar, now)
        targets = None
        if decision.raised_priority:
            targets = self.sources.targets(ticket["account_id"], sla.get("service_level_id"),
                                           decision.raised_priority, ticket.get("client_id"))
        fields = dict(decision.fields)
        fields.update(tracking.derived(decision.sla_after(sla, targets), calendar))
        fields["sla_rev"] = (ticket.get("sla_rev") or 0) + 1
        outbox = [outbox_entry(kind, payload) for kind, payload in decision.events]
        update = {"$set": fields}
        pushes = {}
        if outbox:
            fields["outbox_pending"] = True
            pushes["outbox"] = {"$each": outbox}
        if decision.history:
            pushes["history"] = {"$each": decision.history}
        if pushes:
            update["$push"] = pushes
        selector = {"_id": ticket["_id"], "account_id": ticket["account_id"],
                    "sla_rev": ticket.get("sla_rev")}
        if decision.announced:
            selector["sla.announced"] = {"$nin": decision.announced}
        return Plan(selector, update, decision.notifications, outbox)
