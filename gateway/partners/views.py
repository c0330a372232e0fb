"""/api/v1/partner-links, /api/v1/partner-correlations, /api/v1/partner-outbox: translate HTTP
into partner_bridge RPC and back."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call as call_service
from gateway.calls import respond, respond_page
from services.partner_bridge.schemas import (
    AcceptSchema, CorrelationPageSchema, CorrelationQuerySchema, CorrelationSchema,
    InvitationCreateSchema, InvitationSchema, LinkPageSchema, LinkQuerySchema, LinkSchema,
    LinkStateSchema, ManufacturerReportSchema, OutboxItemSchema, OutboxPageSchema,
    OutboxQuerySchema, PartnerRequestPageSchema, ReportQuerySchema, RulesUpdateSchema,
    SecretRotationSchema, ShareSchema)

blp = Blueprint("partners", __name__, url_prefix="/api/v1",
                description="Partner links: invitations, sharing rules, shared tickets, delivery.")

INVITE, ACCEPT, LINK_QUERY, LINK_STATE = (InvitationCreateSchema(), AcceptSchema(),
                                          LinkQuerySchema(), LinkStateSchema())
RULES, SHARE, CORRELATION_QUERY, OUTBOX_QUERY = (RulesUpdateSchema(), ShareSchema(),
                                                 CorrelationQuerySchema(), OutboxQuerySchema())
REPORT_QUERY, ROTATION = ReportQuerySchema(), SecretRotationSchema()


def call(method, *args, **kwargs):
    return call_service("partner_bridge", method, *args, **kwargs)


@blp.route("/partner-links")
class Links(MethodView):
    @blp.arguments(LinkQuerySchema, location="query")
    @blp.response(200, LinkPageSchema)
    def get(self, query):
        """The account's partner links, oldest first (admins)."""
        return respond_page(call("list_links", schema=LINK_QUERY, data=query), query)


@blp.route("/partner-links/invitations")
class Invitations(MethodView):
    @blp.arguments(InvitationCreateSchema)
    @blp.response(201, InvitationSchema)
    def post(self, data):
        """Invite a partner: a pending link and the code (or URL) to send them out of band."""
        return respond(call("invite", schema=INVITE, data=data), 201)


@blp.route("/partner-links/accept")
class Acceptance(MethodView):
    @blp.arguments(AcceptSchema)
    @blp.response(201, LinkSchema)
    def post(self, data):
        """Accept a partner's invitation (the code or its URL); the link is active on both sides."""
        return respond(call("accept", schema=ACCEPT, data=data), 201)


@blp.route("/partner-links/<string:link_id>")
class Link(MethodView):
    @blp.response(200, LinkSchema)
    def get(self, link_id):
        """A link with its rules and how its outbox stands."""
        return respond(call("get_link", link_id))


@blp.route("/partner-links/<string:link_id>/state")
class LinkState(MethodView):
    @blp.arguments(LinkStateSchema)
    @blp.response(200, LinkSchema)
    @blp.alt_response(409, description="The move is not allowed; `allowed` lists those that are.")
    def post(self, data, link_id):
        """Pause (changes queue), resume (state active) or revoke (final) a link."""
        return respond(call("change_link_state", link_id, schema=LINK_STATE, data=data))


@blp.route("/partner-links/<string:link_id>/received/retry")
class ReceivedRetry(MethodView):
    @blp.response(200, LinkSchema)
    def post(self, link_id):
        """Set the link's received changes parked in error going again (an admin fixed the
        cause); they are applied in order with the ones waiting behind them."""
        return respond(call("retry_received", link_id))


@blp.route("/partner-links/<string:link_id>/secret-rotation")
class LinkSecretRotation(MethodView):
    @blp.arguments(SecretRotationSchema)
    @blp.response(200, LinkSchema)
    @blp.alt_response(409, description="The link is pending or revoked, or the partner refused.")
    @blp.alt_response(503, description="The partner could not be reached; nothing changed.")
    def post(self, data, link_id):
        """Give the link a new secret, told to the partner; the old one stays accepted on both
        sides for `overlap_minutes`."""
        return respond(call("rotate_link_secret", link_id, schema=ROTATION, data=data))


@blp.route("/partner-links/<string:link_id>/rules")
class LinkRules(MethodView):
    @blp.arguments(RulesUpdateSchema)
    @blp.response(200, LinkSchema)
    def put(self, data, link_id):
        """Replace this side's outgoing or incoming sharing rule, or both; a direction left out
        keeps its rule (nothing is cleared), so PATCH does the same."""
        return respond(call("set_rules", link_id, schema=RULES, data=data))

    @blp.arguments(RulesUpdateSchema)
    @blp.response(200, LinkSchema)
    def patch(self, data, link_id):
        """Change this side's outgoing or incoming sharing rule; the other stays."""
        return respond(call("set_rules", link_id, schema=RULES, data=data))


@blp.route("/partner-links/<string:link_id>/shares")
class Shares(MethodView):
    @blp.arguments(ShareSchema)
    @blp.response(201, CorrelationSchema)
    def post(self, data, link_id):
        """Share a ticket over the link: the partner gets a linked ticket of its own."""
        return respond(call("share_ticket", link_id, schema=SHARE, data=data), 201)


@blp.route("/partner-correlations")
class Correlations(MethodView):
    @blp.arguments(CorrelationQuerySchema, location="query")
    @blp.response(200, CorrelationPageSchema)
    def get(self, query):
        """Shared tickets: local id, the partner's id and number, the link, conflicts."""
        return respond_page(call("list_correlations", schema=CORRELATION_QUERY, data=query), query)


@blp.route("/partner-correlations/<string:correlation_id>")
class Correlation(MethodView):
    @blp.response(200, CorrelationSchema)
    def get(self, correlation_id):
        """One shared ticket's correlation."""
        return respond(call("get_correlation", correlation_id))


@blp.route("/partner-outbox")
class Outbox(MethodView):
    @blp.arguments(OutboxQuerySchema, location="query")
    @blp.response(200, OutboxPageSchema)
    def get(self, query):
        """Outgoing changes by state: `error` (the default) is what an admin must look at."""
        return respond_page(call("list_outbox", schema=OUTBOX_QUERY, data=query), query)


@blp.route("/partner-outbox/<string:item_id>/replay")
class OutboxReplay(MethodView):
    @blp.response(200, OutboxItemSchema)
    @blp.alt_response(409, description="Only an item in error can be replayed.")
    def post(self, item_id):
        """Send an item in error again, in its place in the link's order."""
        return respond(call("replay_outbox_item", item_id))


@blp.route("/partner-reports/manufacturer")
class ManufacturerReport(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ManufacturerReportSchema)
    def get(self, query):
        """Per partner: tickets shared with and from it, its reaction and resolution times; the
        most frequent equipment models and problems."""
        return respond(call("manufacturer_report", schema=REPORT_QUERY, data=query))


@blp.route("/partner-reports/requests")
class PartnerRequests(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, PartnerRequestPageSchema)
    def get(self, query):
        """The tickets this account shared with partners, with their numbers there and the
        answer times."""
        return respond(call("partner_requests", schema=REPORT_QUERY, data=query))
