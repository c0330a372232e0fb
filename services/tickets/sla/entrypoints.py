"""Business calendars, escalation rules, the SLA report, and the watcher's timer."""
from nameko.rpc import rpc
from nameko.timer import timer

from services.shared.clock import utcnow
from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.errors import EXPECTED, ValidationFailed
from services.shared.events import announce
from services.shared.schema_fields import midnight_in
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.metrics import SLA_ANNOUNCED
from services.tickets.schemas import (CalendarSchema, EscalationRulesSchema,
                                      SlaNotificationQuerySchema, SlaNotificationSchema,
                                      SlaReportQuerySchema, SlaReportSchema)
from services.tickets.sla import report
from services.tickets.sla.sla_schemas import check_period

SLA_SCAN_SECONDS = 5
MAX_REPORT_TICKETS = 100_000
CALENDAR, CALENDARS = CalendarSchema(), CalendarSchema(many=True)
RULES, REPORT_QUERY, REPORT = EscalationRulesSchema(), SlaReportQuerySchema(), SlaReportSchema()
NOTICE_QUERY, NOTICE, NOTICES = (SlaNotificationQuerySchema(), SlaNotificationSchema(),
                                 SlaNotificationSchema(many=True))
PAGE_QUERY = CursorPageQuerySchema()


class SlaEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def list_calendars(self, actor, query):
        actor = self.authorized(actor, "account.read")
        docs, next_cursor = self.store.calendars.list(actor.account_id, load(PAGE_QUERY, query))
        return {"items": CALENDARS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_calendar(self, actor, calendar_id):
        actor = self.authorized(actor, "account.read")
        return CALENDAR.dump(self.store.calendars.get(actor.account_id, str(calendar_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_calendar(self, actor, data):
        actor = self.authorized(actor, "account.manage")
        calendar = self.store.calendars.create(actor.account_id, data)
        self.store.audit.record(actor, "calendar.created", "calendar", calendar["_id"])
        return CALENDAR.dump(calendar)

    @rpc(expected_exceptions=EXPECTED)
    def replace_calendar(self, actor, calendar_id, data):
        """From now on; open tickets keep the business time already measured (revisions)."""
        actor = self.authorized(actor, "account.manage")
        calendar = self.store.calendars.replace(actor.account_id, str(calendar_id), data)
        self.store.audit.record(actor, "calendar.updated", "calendar", calendar["_id"],
                                revision=calendar["revision"])
        return CALENDAR.dump(calendar)

    @rpc(expected_exceptions=EXPECTED)
    def get_escalation_rules(self, actor):
        actor = self.authorized(actor, "account.read")
        return RULES.dump(self.store.tickets.sla_sources.rules_document(actor.account_id))

    @rpc(expected_exceptions=EXPECTED)
    def set_escalation_rules(self, actor, data):
        actor = self.authorized(actor, "account.manage")
        data = load(RULES, data)
        for index, rule in enumerate(data["rules"]):
            if rule["group_id"]:
                self.store.groups.require(actor.account_id, rule["group_id"],
                                          f"rules.{index}.group_id")
            if rule["recipients"]:
                self.store.employees.require_active(actor.account_id, rule["recipients"],
                                                    f"rules.{index}.recipients")
        saved = self.store.tickets.sla_sources.set_escalation_rules(actor.account_id, data)
        self.store.audit.record(actor, "sla.escalation_rules_set", "account", actor.account_id,
                                rules=len(saved["rules"]))
        return RULES.dump(saved)

    @rpc(expected_exceptions=EXPECTED)
    def sla_report(self, actor, query):
        actor = self.authorized(actor, "sla.report")
        query = load(REPORT_QUERY, query)
        sources = self.store.tickets.sla_sources
        account = sources.account(actor.account_id)
        time_zone = account.get("time_zone") or "Europe/Moscow"  # as sla_sources falls back
        created_from, created_to = (midnight_in(query[bound], time_zone)
                                    for bound in ("created_from", "created_to"))
        check_period(created_from, created_to)
        tickets = self.store.tickets.with_clock(actor.account_id, created_from, created_to,
                                                MAX_REPORT_TICKETS + 1)
        if len(tickets) > MAX_REPORT_TICKETS:
            raise ValidationFailed.from_fields({"created_to": [
                f"More than {MAX_REPORT_TICKETS} tickets: choose a shorter period."]})
        calendars = {}

        def calendar_of(ticket):
            key = ticket["sla"].get("calendar_id")
            if key not in calendars:
                calendars[key] = sources.calendar(account, key)
            return calendars[key]

        return REPORT.dump(report.build(tickets, calendar_of, utcnow(), created_from, created_to))

    @rpc(expected_exceptions=EXPECTED)
    def list_sla_notifications(self, actor, query):
        actor = self.authorized(actor, "sla.notifications")
        docs, next_cursor = self.store.sla_notifications.list(actor.account_id,
                                                              load(NOTICE_QUERY, query))
        return {"items": NOTICES.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_sla_notification(self, actor, notification_id):
        actor = self.authorized(actor, "sla.notifications")
        return NOTICE.dump(self.store.sla_notifications.get(actor.account_id,
                                                            str(notification_id)))

    @timer(interval=SLA_SCAN_SECONDS)
    def watch_sla(self):
        written = self.store.sla_watcher.scan(utcnow())
        for ticket in written:
            for entry in ticket.get("outbox", []):
                if entry["type"] in ("sla_warning", "sla_breached"):
                    SLA_ANNOUNCED.labels(entry["type"]).inc()
        announce(self.store.tickets.publish_all_pending, self.dispatch, written, self.name)
