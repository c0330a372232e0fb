"""/api/v1/tickets/{id}/confirmation, /reopening, /rating: what a client contact does once the
work is done (the portal's buttons call the same RPCs). The rating stays on the ticket
(`rating` in GET /api/v1/tickets/{id}); /api/v1/reports/satisfaction sums them up."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond
from services.tickets.schemas import (FeedbackWriteSchema, RatingWriteSchema,
                                      SatisfactionQuerySchema, SatisfactionReportSchema,
                                      TicketSchema)

blp = Blueprint("ticket_feedback", __name__, url_prefix="/api/v1",
                description="A client's confirmation, reopening and rating of a ticket; "
                            "the satisfaction report.")
FEEDBACK, RATING, SATISFACTION = FeedbackWriteSchema(), RatingWriteSchema(), SatisfactionQuerySchema()
WINDOW = "Outside the account's window (settings.portal_reopen_days) or the wrong status."


@blp.route("/tickets/<string:ticket_id>/confirmation")
class Confirmation(MethodView):
    @blp.arguments(FeedbackWriteSchema)
    @blp.response(200, TicketSchema)
    @blp.alt_response(409, description=WINDOW)
    def post(self, data, ticket_id):
        """Client contacts: the resolution is confirmed, the ticket closed."""
        return respond(call("tickets", "portal_confirm", ticket_id, schema=FEEDBACK, data=data))


@blp.route("/tickets/<string:ticket_id>/reopening")
class Reopening(MethodView):
    @blp.arguments(FeedbackWriteSchema)
    @blp.response(200, TicketSchema)
    @blp.alt_response(409, description=WINDOW)
    def post(self, data, ticket_id):
        """Client contacts: not solved after all; within the window after resolution."""
        return respond(call("tickets", "portal_reopen", ticket_id, schema=FEEDBACK, data=data))


@blp.route("/tickets/<string:ticket_id>/rating")
class Rating(MethodView):
    @blp.arguments(RatingWriteSchema)
    @blp.response(201, TicketSchema)
    @blp.alt_response(409, description="Not resolved or closed, or rated already.")
    def post(self, data, ticket_id):
        """Client contacts: rate the work (score 1-5, comment), once per ticket."""
        return respond(call("tickets", "rate_ticket", ticket_id, schema=RATING, data=data), 201)


@blp.route("/reports/satisfaction")
class Satisfaction(MethodView):
    @blp.arguments(SatisfactionQuerySchema, location="query")
    @blp.response(200, SatisfactionReportSchema)
    def get(self, query):
        """The clients' ratings of the work (admins and dispatchers): how many, the mean score,
        each score's count and the same per client, for tickets rated in `from`..`to` (UTC days)."""
        return respond(call("tickets", "satisfaction_report", schema=SATISFACTION, data=query))
