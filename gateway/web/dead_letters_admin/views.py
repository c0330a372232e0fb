"""Dead letters (admins): /settings/dead-letters, per service, through the same RPCs as
/api/v1/dead-letters/<service>: list with filters, one letter with its payload (credentials
hidden by the service), replay once the cause is fixed, discard."""
import json

from flask import Blueprint, redirect, render_template, request, url_for

from gateway.dead_letters.views import call
from gateway.system.views import SERVICES
from gateway.web.forms import field_errors
from services.shared.dead_letters import STATES
from services.shared.errors import ValidationFailed

blp = Blueprint("dead_letters_admin", __name__, template_folder="templates")
SETTINGS = [("web.dead_letters_admin.letters", "Dead letters",
             "What the services could not handle: see, replay, discard.", ("admin",))]
FILTERS = ("state", "event_type", "source", "cursor")
PAGE = 25


@blp.get("/settings/dead-letters")
def letters():
    service = request.args.get("service") or SERVICES[0]
    query = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    errors = {}
    try:
        page = call(service, "list_dead_letters", dict(query, limit=PAGE))
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, field_errors(error)
    return render_template("dead_letters_admin/letters.html", page=page, service=service,
                           services=SERVICES, states=STATES, query=query,
                           errors=errors), 422 if errors else 200


@blp.get("/settings/dead-letters/<string:service>/<string:letter_id>")
def letter(service, letter_id):
    found = call(service, "get_dead_letter", letter_id)
    return render_template("dead_letters_admin/letter.html", letter=found, service=service,
                           payload=json.dumps(found.get("payload"), ensure_ascii=False, indent=2))


@blp.post("/settings/dead-letters/<string:service>/<string:letter_id>/<any(replay, discard):act>")
def act(service, letter_id, act):
    """Replay or discard; a letter no longer dead is the API's 409, shown as the conflict page."""
    call(service, f"{act}_dead_letter", letter_id)
    return redirect(url_for("web.dead_letters_admin.letter", service=service,
                            letter_id=letter_id), 303)
