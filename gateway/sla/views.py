"""/api/v1/calendars and /api/v1/sla: business calendars, escalation rules, the notices of the
`notify` escalation, the SLA report.

A ticket's own SLA (deadlines, remaining time, state per target) comes with the ticket itself,
under /api/v1/tickets.
"""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.shared.page_schemas import PageQuerySchema, page_of
from services.tickets.sla.production_schemas import ProductionYearQuerySchema, ProductionYearSchema
from services.tickets.schemas import (CalendarSchema, CalendarWriteSchema, EscalationRulesSchema,
                                      SlaNotificationPageSchema, SlaNotificationQuerySchema,
                                      SlaNotificationSchema, SlaReportQuerySchema, SlaReportSchema)

blp = Blueprint("sla", __name__, url_prefix="/api/v1",
                description="Business calendars, SLA escalation rules and the SLA report.")
CALENDAR, RULES, REPORT_QUERY = CalendarWriteSchema(), EscalationRulesSchema(), SlaReportQuerySchema()
NOTICE_QUERY = SlaNotificationQuerySchema()
PRODUCTION_QUERY = ProductionYearQuerySchema()
CALENDAR_REPLACE, CALENDAR_PATCH = replacing(CalendarWriteSchema), patching(CalendarWriteSchema)
LIST = PageQuerySchema()


@blp.route("/calendars")
class Calendars(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(CalendarSchema))
    def get(self, query):
        """The account's business calendars, by name (employees)."""
        return respond_page(call("tickets", "list_calendars", schema=LIST, data=query), query)

    @blp.arguments(CalendarWriteSchema)
    @blp.response(201, CalendarSchema)
    def post(self, data):
        """Add a calendar: working intervals per weekday, time zone, holidays and overrides (admins)."""
        return respond(call("tickets", "create_calendar", schema=CALENDAR, data=data), 201)


@blp.route("/calendars/<string:calendar_id>")
class Calendar(MethodView):
    @blp.response(200, CalendarSchema)
    def get(self, calendar_id):
        """One calendar, at its latest revision."""
        return respond(call("tickets", "get_calendar", calendar_id))

    @blp.arguments(CALENDAR_REPLACE)
    @blp.response(200, CalendarSchema)
    def put(self, data, calendar_id):
        """Replace a calendar from now on; open tickets keep the time already measured (admins).
        Every field is required."""
        return respond(call("tickets", "replace_calendar", calendar_id, schema=CALENDAR, data=data))

    @blp.arguments(CALENDAR_PATCH)
    @blp.response(200, CalendarSchema)
    def patch(self, changes, calendar_id):
        """Change some of a calendar's fields from now on (admins)."""
        return respond(replace_patched("tickets", "get_calendar", "replace_calendar",
                                       (calendar_id,), changes, CALENDAR_PATCH, CALENDAR))


@blp.route("/production-calendar")
class ProductionCalendar(MethodView):
    @blp.arguments(ProductionYearQuerySchema, location="query")
    @blp.response(200, ProductionYearSchema)
    def get(self, query):
        """The Russian production calendar of a year: days off with their names, weekend days
        worked by decree, shortened pre-holiday days (employees)."""
        return respond(call("tickets", "get_production_calendar", schema=PRODUCTION_QUERY, data=query))


@blp.route("/sla/escalation-rules")
class EscalationRules(MethodView):
    @blp.response(200, EscalationRulesSchema)
    def get(self):
        """What happens when a target nears or passes its deadline."""
        return respond(call("tickets", "get_escalation_rules"))

    @blp.arguments(EscalationRulesSchema)
    @blp.response(200, EscalationRulesSchema)
    def put(self, data):
        """Replace the rules: notify, reassign to a group or raise priority, per target and
        milestone, optionally only in working hours (admins)."""
        return respond(call("tickets", "set_escalation_rules", schema=RULES, data=data))

    @blp.arguments(EscalationRulesSchema)
    @blp.response(200, EscalationRulesSchema)
    def patch(self, data):
        """The same as PUT: the list of rules is the one field, given whole (admins)."""
        return respond(call("tickets", "set_escalation_rules", schema=RULES, data=data))


@blp.route("/sla/notifications")
class SlaNotifications(MethodView):
    @blp.arguments(SlaNotificationQuerySchema, location="query")
    @blp.response(200, SlaNotificationPageSchema)
    def get(self, query):
        """The notices the `notify` escalation recorded, newest first; filter by ticket, target,
        kind and period; pages with `cursor` (employees)."""
        return respond(call("tickets", "list_sla_notifications", schema=NOTICE_QUERY, data=query))


@blp.route("/sla/notifications/<string:notification_id>")
class SlaNotification(MethodView):
    @blp.response(200, SlaNotificationSchema)
    def get(self, notification_id):
        """One notice (employees)."""
        return respond(call("tickets", "get_sla_notification", notification_id))


@blp.route("/sla/report")
class SlaReport(MethodView):
    @blp.arguments(SlaReportQuerySchema, location="query")
    @blp.response(200, SlaReportSchema)
    def get(self, query):
        """Compliance of the tickets created in a period, by client, service level, assignee and
        group, with the business time to reaction and resolution (admins, dispatchers)."""
        return respond(call("tickets", "sla_report", schema=REPORT_QUERY, data=query))
