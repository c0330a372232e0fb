"""QR intake: /q/{code} (the page a label opens) and /api/v1/intake/{code} (what it calls).

Signing in is optional here: a contact's or employee's bearer token is used when present; without
one the account must allow anonymous intake.
"""
from flask import Blueprint as FlaskBlueprint
from flask import current_app, render_template, request
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call_anonymous, respond
from gateway.i18n import current_locale, gettext
from services.tickets.schemas import IntakeInfoSchema, IntakeReceiptSchema, IntakeTicketSchema

blp = Blueprint("intake", __name__, url_prefix="/api/v1/intake",
                description="Tickets opened from an equipment item's QR label.")
page = FlaskBlueprint("intake_page", __name__, template_folder="templates")
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


@page.get("/q/<string:code>")
def intake_page(code):
    """The page a label's link opens: a short form that posts to the intake API."""
    return render_template("intake.html", code=code, _=gettext, lang=current_locale())
