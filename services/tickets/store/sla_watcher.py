"""The SLA watcher: finds tickets with something due, announces each warning and breach once, and
carries out the account's escalation rules.

A scan reads, account by account, the tickets whose `sla_next_deadline` has passed (the index on
(account_id, sla_next_deadline)), so it touches only tickets with something to do. For each it
writes one conditional update: the milestones as announced, their events in the ticket's outbox,
the escalations' effects (a new group, a raised priority with its new targets) and the escalations
left for working hours, guarded by the `sla_rev` it read and by the milestones not being announced
yet. Of several replicas scanning at once, or a scan racing an edit of the ticket, exactly one
write succeeds; the others change nothing and the ticket is looked at again in the next scan.
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
from services.tickets.sla import clock as sla_clock
from services.tickets.sla import tracking
from services.tickets.sla.escalation import EscalationRule, escalations, raised
from services.tickets.sla.notices import event_payload, notification, rule_document
from services.tickets.store.sla_notifications import SlaNotificationStore
from services.tickets.store.sla_sources import SlaSources
from services.tickets.tickets.vocabulary import PRIORITY_RANK

SYSTEM = {"kind": "system", "id": "sla"}
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
        """One ticket's conditional update: what is due announced, the escalations acting now
        applied, those waiting for working hours kept."""
        sla = ticket["sla"]
        calendar = self.sources.calendar(account, sla.get("calendar_id"))
        milestones = tracking.due_milestones(sla, calendar, now)
        due_deadlines = sla.get("due", {})
        outbox, keys, planned = [], [], []
        for milestone in milestones:
            due_at, target, kind = milestone
            key = tracking.milestone_key(target, kind)
            keys.append(key)
            outbox.append(outbox_entry(tracking.KINDS[kind], event_payload(
                ticket, milestone, due_deadlines.get(target, {}).get("deadline"), now)))
            for step in escalations(rules, milestone, calendar):
                planned.append({"key": key, "index": rules.index(step.rule),
                                "rule": rule_document(step.rule), "due_at": tracking.stored(due_at),
                                "at": tracking.stored(step.at)})
        waiting = list(sla.get("escalations", [])) + planned
        acting = [p for p in waiting if p["at"] <= now]
        later = [p for p in waiting if p["at"] > now]
        fields, history = self._effects(ticket, sla, acting, now)
        sla = dict(fields.pop("sla", sla), announced=sla.get("announced", []) + keys,
                   escalations=later)
        fields.update(tracking.derived(sla, calendar))
        fields["sla_rev"] = (ticket.get("sla_rev") or 0) + 1
        update = {"$set": fields}
        pushes = {}
        if outbox:
            fields["outbox_pending"] = True
            pushes["outbox"] = {"$each": outbox}
        if history:
            pushes["history"] = {"$each": history}
        if pushes:
            update["$push"] = pushes
        selector = {"_id": ticket["_id"], "account_id": ticket["account_id"],
                    "sla_rev": ticket.get("sla_rev")}
        if keys:
            selector["sla.announced"] = {"$nin": keys}
        notifications = [notification(ticket, step, now) for step in acting
                         if step["rule"]["action"] == "notify"]
        return Plan(selector, update, notifications, outbox)

    def _effects(self, ticket, sla, acting, now):
        """The ticket fields the escalations acting now change, and their history entries."""
        fields, history = {}, []
        priority = ticket["priority"]
        for step in acting:
            rule = EscalationRule(**dict(step["rule"], recipients=tuple(step["rule"]["recipients"])))
            if rule.action == "reassign" and ticket.get("assignee_group_id") != rule.group_id:
                history.append(self._entry(now, "assignee_group_id",
                                           fields.get("assignee_group_id", ticket.get("assignee_group_id")),
                                           rule.group_id))
                fields.update(assignee_group_id=rule.group_id, assignee_id=None)
            elif rule.action == "raise_priority" and raised(priority) != priority:
                history.append(self._entry(now, "priority", priority, raised(priority)))
                priority = raised(priority)
        if priority != ticket["priority"]:
            fields.update(priority=priority, priority_rank=PRIORITY_RANK[priority])
            targets = self.sources.targets(ticket["account_id"], sla.get("service_level_id"),
                                           priority, ticket.get("client_id"))
            if targets is not None:
                fields["sla"] = tracking.with_clock(sla, sla_clock.retarget(tracking.clock_of(sla),
                                                                            *targets))
        if fields:
            fields["updated_at"] = now
        return fields, history

    @staticmethod
    def _entry(at, field, old, new):
        return {"at": at, "actor": SYSTEM, "field": field, "old": old, "new": new}

