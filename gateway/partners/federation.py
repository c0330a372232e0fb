"""/api/v1/federation: what partner installations call. No bearer token: an acceptance carries
an invitation code signed by this installation, a delivery the link's HMAC signature, both
checked by partner_bridge before anything is kept."""
from flask import abort, request
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call_anonymous, respond
from gateway.i18n import gettext
from services.partner_bridge.schemas import (
    EXTENSION_SCHEMAS, LINK_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, AcceptanceAnswerSchema,
    DeliveryReceiptSchema, InvitationAcceptanceSchema, InvitationCodeQuerySchema,
    InvitationDescriptionSchema, LinkStateReceiptSchema, SecretRotationReceiptSchema)
from services.shared.errors import ValidationFailed

blp = Blueprint("federation", __name__, url_prefix="/api/v1/federation",
                description="Between installations: invitation acceptance, TMF621 deliveries, "
                            "secret rotation.")
ACCEPTANCE = InvitationAcceptanceSchema()
SIGNED_HEADERS = (LINK_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)


INSTRUCTIONS = {
    "pending": "%(inviter)s invites your service desk to exchange tickets with it as partners. "
               "An administrator of your account accepts in your own installation: "
               "POST %(accept_path)s with this link or its code as \"code\". The code is "
               "valid until %(expires_at)s and for one acceptance only.",
    "accepted": "This invitation from %(inviter)s has been accepted already; the link is "
                "%(state)s. Ask %(inviter)s for a new invitation to link another account.",
}


@blp.route("/invitations")
class Invitation(MethodView):
    @blp.arguments(InvitationCodeQuerySchema, location="query")
    @blp.response(200, InvitationDescriptionSchema)
    @blp.doc(security=[])
    def get(self, query):
        """What an invitation link opens: who invites, until when, and what to do with the code
        (422 naming `code` when it is forged, altered or expired)."""
        described = call_anonymous("partner_bridge", "describe_invitation", query["code"])
        text = INSTRUCTIONS["pending" if described["state"] == "pending" else "accepted"]
        described["instructions"] = gettext(
            text, inviter=described["inviter"]["account_name"], state=described["state"],
            accept_path=described["accept_path"], expires_at=described["expires_at"])
        return respond(described)


@blp.route("/schemas/<string:name>.schema.json")
class ExtensionSchema(MethodView):
    @blp.response(200)
    @blp.doc(security=[])
    def get(self, name):
        """The JSON schema of one of our TMF621 extensions (what an event's @schemaLocation
        names)."""
        if name not in EXTENSION_SCHEMAS:
            abort(404)
        return respond(EXTENSION_SCHEMAS[name])


@blp.route("/invitations/accept")
class InvitationAcceptance(MethodView):
    @blp.arguments(InvitationAcceptanceSchema)
    @blp.response(200, AcceptanceAnswerSchema)
    @blp.doc(security=[])
    def post(self, data):
        """An installation accepting our invitation: answered with the link's secret."""
        return respond(call_anonymous("partner_bridge", "answer_acceptance", ACCEPTANCE.dump(data)))


@blp.route("/<string:account_id>/links/<string:link_id>/events")
class Events(MethodView):
    @blp.response(202, DeliveryReceiptSchema)
    @blp.doc(security=[])
    def post(self, account_id, link_id):
        """A TMF621 trouble ticket event from the partner, signed (X-Partner-Signature)."""
        return respond(call_anonymous("partner_bridge", "receive_delivery", account_id, link_id,
                                      *signed_request()), 202)


@blp.route("/<string:account_id>/links/<string:link_id>/state")
class LinkState(MethodView):
    @blp.response(200, LinkStateReceiptSchema)
    @blp.doc(security=[])
    def post(self, account_id, link_id):
        """The partner paused, resumed or revoked the link (signed): this side follows."""
        return respond(call_anonymous("partner_bridge", "receive_link_state", account_id,
                                      link_id, *signed_request()))


@blp.route("/<string:account_id>/links/<string:link_id>/secret")
class SecretRotation(MethodView):
    @blp.response(200, SecretRotationReceiptSchema)
    @blp.doc(security=[])
    def post(self, account_id, link_id):
        """The partner's new secret for the link, signed with the current one."""
        return respond(call_anonymous("partner_bridge", "receive_secret_rotation", account_id,
                                      link_id, *signed_request()))


def signed_request():
    """(headers, body) of a signed request. The signature covers the exact bytes: they go on
    untouched, never re-serialised."""
    try:
        body = request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed.from_fields({"body": ["Must be UTF-8 JSON."]}) from None
    headers = {name: request.headers[name] for name in SIGNED_HEADERS if name in request.headers}
    return headers, body
