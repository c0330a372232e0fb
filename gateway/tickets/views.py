"""/api/v1/tickets: translate HTTP into tickets-service RPC and back."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import respond, respond_page
from gateway.calls import call as call_service
from gateway.knowledge.suggestion_refs import check_suggestion
from services.tickets.schemas import (CommentCreateSchema, CommentSchema, StatusChangeSchema,
                                      TicketCreateSchema, TicketListQuerySchema, TicketPageSchema,
                                      TicketSchema, TicketUpdateSchema)

blp = Blueprint("tickets", __name__, url_prefix="/api/v1/tickets",
                description="Tickets: create, find, comment, move through statuses.")


# Built once (building a schema deep-copies its fields); used to re-dump loaded input as JSON.
CREATE, UPDATE, LIST_QUERY = TicketCreateSchema(), TicketUpdateSchema(), TicketListQuerySchema()
STATUS_CHANGE, COMMENT_CREATE = StatusChangeSchema(), CommentCreateSchema()


def call(method, *args, **kwargs):
    return call_service("tickets", method, *args, **kwargs)


@blp.route("")
class Tickets(MethodView):
    @blp.arguments(TicketListQuerySchema, location="query")
    @blp.response(200, TicketPageSchema)
    def get(self, query):
        """List tickets with filters, sorting and cursor pagination."""
        return respond_page(call("list_tickets", schema=LIST_QUERY, data=query), query)

    @blp.arguments(TicketCreateSchema)
    @blp.response(201, TicketSchema)
    def post(self, data):
        """Create a ticket."""
        check_suggestion(data)
        return respond(call("create_ticket", schema=CREATE, data=data), 201)


@blp.route("/<string:ticket_id>")
class Ticket(MethodView):
    @blp.response(200, TicketSchema)
    def get(self, ticket_id):
        """A ticket with its comments and history."""
        return respond(call("get_ticket", ticket_id))

    @blp.arguments(TicketUpdateSchema)
    @blp.response(200, TicketSchema)
    def patch(self, changes, ticket_id):
        """Change a ticket's fields; each change is recorded in its history."""
        return respond(call("update_ticket", ticket_id, schema=UPDATE, data=changes))


@blp.route("/by-number/<int:number>")
class TicketByNumber(MethodView):
    @blp.response(200, TicketSchema)
    def get(self, number):
        """A ticket by its per-account sequential number (what people say on the phone)."""
        return respond(call("get_ticket_by_number", number))


@blp.route("/<string:ticket_id>/status")
class TicketStatus(MethodView):
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, TicketSchema)
    @blp.alt_response(409, description="The transition is not allowed; `allowed` lists those that are.")
    def post(self, data, ticket_id):
        """Move a ticket to another status."""
        return respond(call("change_status", ticket_id, schema=STATUS_CHANGE, data=data))


@blp.route("/<string:ticket_id>/comments")
class TicketComments(MethodView):
    @blp.arguments(CommentCreateSchema)
    @blp.response(201, CommentSchema)
    def post(self, data, ticket_id):
        """Add a public or internal comment."""
        return respond(call("add_comment", ticket_id, schema=COMMENT_CREATE, data=data), 201)
