"""Business calendars in MongoDB, per account, with every revision kept.

A calendar's current form lives in `business_calendars`; each change also writes the full form
to `business_calendar_revisions` with the instant it took effect (after the calendar itself: a
crash in between is healed by the next change, and `history` reads the latest revision from the
calendar anyway). Open tickets measure the
business time before a change by the revision in force then (a CalendarHistory built from
`history`), so editing working hours never rewrites time already spent. Every document carries
account_id and every query filters by it.
"""
import uuid
from datetime import date, timezone

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import fetch_page
from services.shared.validation import load
from services.tickets.names import name_key
from services.tickets.sla.calendar import WEEKDAYS, BusinessCalendar, CalendarHistory
from services.tickets.sla.calendar_schemas import CalendarWriteSchema, minute_of_day

WRITE_SCHEMA = CalendarWriteSchema()


def business_calendar(document):
    """The domain calendar for a stored (or freshly validated) calendar document."""
    def intervals(listed):
        return [(minute_of_day(i["start"]), minute_of_day(i["end"])) for i in listed]

    week = document["week"]
    if week.get("always"):
        days = [[(0, 24 * 60)]] * 7
    else:
        days = [intervals(week.get(day) or []) for day in WEEKDAYS]
    return BusinessCalendar(
        time_zone=document["time_zone"], week=days,
        production_calendar=document.get("production_calendar"),
        shorten_pre_holiday=document.get("shorten_pre_holiday", True),
        days_off={date.fromisoformat(day) for day in document.get("days_off", [])},
        working_days={date.fromisoformat(entry["date"]): (None if entry.get("intervals") is None
                                                           else intervals(entry["intervals"]))
                      for entry in document.get("working_days", [])},
        shortened_days={date.fromisoformat(entry["date"]): entry["minutes"]
                        for entry in document.get("shortened_days", [])})


class BusinessCalendarStore:
    def __init__(self, db):
        self.calendars = db.business_calendars
        self.revisions = db.business_calendar_revisions

    @staticmethod
    def create_indexes(db):
        db.business_calendars.create_index([("account_id", 1), ("name_key", 1)], unique=True)
        db.business_calendar_revisions.create_index(
            [("account_id", 1), ("calendar_id", 1), ("revision", 1)], unique=True)

    def create(self, account_id, data):
        data = load(WRITE_SCHEMA, data)
        now = utcnow()
        calendar = dict(data, _id=uuid.uuid4().hex, account_id=account_id,
                        name_key=name_key(data["name"]), revision=1, effective_from=now,
                        created_at=now, updated_at=now)
        try:
            self.calendars.insert_one(calendar)
        except DuplicateKeyError:
            raise Conflict(f"A calendar named '{data['name']}' exists.", {"field": "name"}) from None
        self._record_revision(calendar)
        return calendar

    def exists(self, account_id, calendar_id):
        return self.calendars.find_one({"_id": calendar_id, "account_id": account_id},
                                       {"_id": 1}) is not None

    def require(self, account_id, calendar_id, field="calendar_id"):
        """A reference to one of the account's calendars, or ValidationFailed naming `field`."""
        if calendar_id is not None and not self.exists(account_id, calendar_id):
            raise ValidationFailed.from_fields({field: ["No business calendar of this account has this id."]})

    def get(self, account_id, calendar_id):
        calendar = self.calendars.find_one({"_id": calendar_id, "account_id": account_id})
        if calendar is None:
            raise NotFound(f"No business calendar {calendar_id}.")
        return calendar

    def list(self, account_id, query):
        """A page of business calendars by name: (calendars, next cursor)."""
        return fetch_page(self.calendars, {"account_id": account_id}, "name_key", False,
                          query.get("cursor"), query["limit"])

    def replace(self, account_id, calendar_id, data, expected_revision=None):
        """The calendar as `data` says, from now on. `expected_revision` (what the editor saw)
        turns a concurrent edit into a Conflict instead of a silent overwrite."""
        data = load(WRITE_SCHEMA, data)
        current = self.get(account_id, calendar_id)
        if expected_revision is not None and expected_revision != current["revision"]:
            raise Conflict("The calendar changed meanwhile; reload it.",
                           {"revision": str(current["revision"])})
        # Recording is idempotent: this heals a revision a crash left unrecorded last time.
        self._record_revision(current)
        now = utcnow()
        changed = dict(current, **data, name_key=name_key(data["name"]),
                       revision=current["revision"] + 1, effective_from=now, updated_at=now)
        try:
            updated = self.calendars.update_one(
                {"_id": calendar_id, "account_id": account_id, "revision": current["revision"]},
                {"$set": {k: v for k, v in changed.items() if k != "_id"}})
        except DuplicateKeyError:
            raise Conflict(f"A calendar named '{data['name']}' exists.", {"field": "name"}) from None
        if updated.matched_count == 0:
            raise Conflict("The calendar changed meanwhile; reload it.", {})
        self._record_revision(changed)
        return changed

    def history(self, account_id, calendar_id, since=None):
        """A CalendarHistory of the revisions in force from `since` (a naive UTC datetime, e.g.
        a ticket's creation) on: the one in force then, and every later one."""
        current = self.get(account_id, calendar_id)
        recorded = self.revisions.find({"account_id": account_id, "calendar_id": calendar_id})
        revisions = {r["revision"]: (r["effective_from"], r["calendar"]) for r in recorded}
        # The calendar itself is the truth for its latest revision, recorded or not.
        revisions[current["revision"]] = (current["effective_from"], current)
        ordered = [revisions[number] for number in sorted(revisions)]
        if since is not None:
            in_force = [r for r in ordered if r[0] <= since]
            ordered = (in_force[-1:] + [r for r in ordered if r[0] > since]) or ordered[:1]
        return CalendarHistory([(effective_from.replace(tzinfo=timezone.utc), business_calendar(body))
                                for effective_from, body in ordered])

    def _record_revision(self, calendar):
        body = {k: v for k, v in calendar.items()
                if k not in ("_id", "account_id", "name_key", "created_at", "updated_at")}
        revision_id = f"{calendar['_id']}:{calendar['revision']}"
        self.revisions.update_one(
            {"_id": revision_id, "account_id": calendar["account_id"]},
            {"$setOnInsert": {"calendar_id": calendar["_id"], "revision": calendar["revision"],
                              "effective_from": calendar["effective_from"], "calendar": body}},
            upsert=True)
