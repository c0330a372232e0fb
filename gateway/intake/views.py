"""QR intake's API: /api/v1/intake/{code} (the page a label opens, /q/{code}, is
gateway/web/qr and calls the same RPCs).

Signing in is optional here: a contact's or employee's bearer token is used when present; without
one the account must allow anonymous intake.
"""
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call_anonymous, respond
from services.tickets.schemas import IntakeInfoSchema, IntakeReceiptSchema, IntakeTicketSchema

blp = Blueprint("intake", __name__, url_prefix="/api/v1/intake",
                description="Tickets opened from an equipment item's QR label.")
REPORT = IntakeTicketSchema()


def optional_actor():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return current_app.extensions["gateway"].auth.actor()
    return None


@blp.route("/<string:code>")
class Intake(MethodView):
    @blp.response(200, IntakeInfoSchema)
    def get(self, code):
        """What the label is on: the item, its site, the service company."""
        return respond(call_anonymous("tickets", "intake_info", optional_actor(), code))


@blp.route("/<string:code>/tickets")
class IntakeTickets(MethodView):
    @blp.arguments(IntakeTicketSchema)
    @blp.response(201, IntakeReceiptSchema)
    @blp.alt_response(429, description="Too many reports from this label or this address.")
    def post(self, data, code):
        """Report a problem with the item; without signing in, name and phone are required."""
        return respond(call_anonymous("tickets", "intake_ticket", optional_actor(), code,
                                      REPORT.dump(data), request.remote_addr or "unknown"), 201)
