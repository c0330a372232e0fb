"""/api/v1/telephony: PBX integrations (admins), calls, links between calls and tickets, and the
caller card, translated into telephony- and tickets-service RPC. The webhook edge the PBXs post
to is webhooks.py."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.telephony.schemas import (CallDetailSchema, CallPageSchema, CallQuerySchema,
                                        CallSchema, IntegrationPageSchema,
                                        IntegrationQuerySchema, IntegrationSchema,
                                        IntegrationWriteSchema, TicketLinkSchema)
from services.tickets.schemas import CallerCardSchema, CallerQuerySchema

blp = Blueprint("telephony", __name__, url_prefix="/api/v1/telephony",
                description="PBX integrations, calls, calls on tickets, the caller card.")

INTEGRATION_WRITE, INTEGRATION_QUERY = IntegrationWriteSchema(), IntegrationQuerySchema()
CALL_QUERY, TICKET_LINK, CALLER_QUERY = CallQuerySchema(), TicketLinkSchema(), CallerQuerySchema()
INTEGRATION_REPLACE = replacing(IntegrationWriteSchema, keep=("secrets",))
INTEGRATION_PATCH = patching(IntegrationWriteSchema)


@blp.route("/integrations")
class Integrations(MethodView):
    @blp.arguments(IntegrationQuerySchema, location="query")
    @blp.response(200, IntegrationPageSchema)
    def get(self, query):
        """The account's PBX integrations (admins)."""
        return respond_page(call("telephony", "list_integrations", schema=INTEGRATION_QUERY,
                            data=query), query)

    @blp.arguments(IntegrationWriteSchema)
    @blp.response(201, IntegrationSchema)
    def post(self, data):
        """Connect a PBX (admins); the answer names its webhook path."""
        return respond(call("telephony", "create_integration", schema=INTEGRATION_WRITE,
                            data=data), 201)


@blp.route("/integrations/<string:integration_id>")
class Integration(MethodView):
    @blp.response(200, IntegrationSchema)
    def get(self, integration_id):
        """One integration: which secrets are set, never their values."""
        return respond(call("telephony", "get_integration", integration_id))

    @blp.arguments(INTEGRATION_REPLACE)
    @blp.response(200, IntegrationSchema)
    def put(self, data, integration_id):
        """Replace an integration: every field is required but `secrets` (left out, the stored
        ones stay)."""
        return respond(call("telephony", "replace_integration", integration_id,
                            schema=INTEGRATION_WRITE, data=data))

    @blp.arguments(INTEGRATION_PATCH)
    @blp.response(200, IntegrationSchema)
    def patch(self, changes, integration_id):
        """Change some of an integration's fields (enable it, say); secrets stay unless given."""
        return respond(replace_patched("telephony", "get_integration", "replace_integration",
                                       (integration_id,), changes, INTEGRATION_PATCH,
                                       INTEGRATION_WRITE))


@blp.route("/calls")
class Calls(MethodView):
    @blp.arguments(CallQuerySchema, location="query")
    @blp.response(200, CallPageSchema)
    def get(self, query):
        """Calls, newest first (employees)."""
        return respond_page(call("telephony", "list_calls", schema=CALL_QUERY, data=query), query)


@blp.route("/calls/<string:call_id>")
class Call(MethodView):
    @blp.response(200, CallDetailSchema)
    def get(self, call_id):
        """One call with every event the PBX sent about it."""
        return respond(call("telephony", "get_call", call_id))


@blp.route("/calls/<string:call_id>/tickets")
class CallTickets(MethodView):
    @blp.arguments(TicketLinkSchema)
    @blp.response(200, CallSchema)
    def post(self, data, call_id):
        """Link the call, with its ready recordings, to a ticket (admins, dispatchers, agents)."""
        return respond(call("telephony", "link_call_to_ticket", call_id, schema=TICKET_LINK,
                            data=data))


@blp.route("/calls/<string:call_id>/tickets/<string:ticket_id>")
class CallTicket(MethodView):
    @blp.response(200, CallSchema)
    def delete(self, call_id, ticket_id):
        """Unlink the call and its recordings from the ticket (the comments stay as history)."""
        return respond(call("telephony", "unlink_call_from_ticket", call_id, ticket_id))


@blp.route("/caller-card")
class CallerCard(MethodView):
    @blp.arguments(CallerQuerySchema, location="query")
    @blp.response(200, CallerCardSchema)
    def get(self, query):
        """Who is calling: contact, client, open tickets, contracts with service level and
        payment, in one call to the tickets service (employees)."""
        return respond(call("tickets", "caller_card", schema=CALLER_QUERY, data=query))
