"""/api/v1/dead-letters/{service}: what a service's consumers gave up on, to see, replay once the
cause is fixed, or discard (services/shared/dead_letters.py). Admins see their account's letters;
the installation owner sees the letters that name no account."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway import calls
from gateway.calls import respond, respond_page
from gateway.system.views import SERVICES
from services.shared.dead_letter_schemas import (DeadLetterPageSchema, DeadLetterQuerySchema,
                                                 DeadLetterSchema)
from services.shared.errors import ValidationFailed

blp = Blueprint("dead_letters", __name__, url_prefix="/api/v1/dead-letters",
                description="Events and webhook messages a service gave up on: list, replay, "
                            "discard.")
QUERY = DeadLetterQuerySchema()
SERVICE = {"in": "path", "name": "service", "required": True,
           "description": "The service whose consumers buried the letters.",
           "schema": {"type": "string", "enum": list(SERVICES)}}


def call(service, method, *args, **payload):
    """The views' RPC (gateway.calls.call), for a service named in the path, checked first."""
    if service not in SERVICES:
        raise ValidationFailed.from_fields({"service": [f"One of {', '.join(SERVICES)}."]})
    return calls.call(service, method, *args, **payload)


@blp.route("/<string:service>", parameters=[SERVICE])
class DeadLetters(MethodView):
    @blp.arguments(DeadLetterQuerySchema, location="query")
    @blp.response(200, DeadLetterPageSchema)
    def get(self, query, service):
        """Newest first; filter by `state`, `event_type`, `source` and `created_from` /
        `created_to`; pages with `cursor`."""
        return respond_page(call(service, "list_dead_letters", schema=QUERY, data=query), query)


@blp.route("/<string:service>/<string:letter_id>", parameters=[SERVICE])
class DeadLetter(MethodView):
    @blp.response(200, DeadLetterSchema)
    def get(self, service, letter_id):
        """One letter with its payload (credentials hidden), error and replays."""
        return respond(call(service, "get_dead_letter", letter_id))


@blp.route("/<string:service>/<string:letter_id>/replay", parameters=[SERVICE])
class Replay(MethodView):
    @blp.response(200, DeadLetterSchema)
    def post(self, service, letter_id):
        """Run the handler again on the stored payload: `replayed` when it succeeds, still
        `dead` with the new error when it fails; 409 unless the letter is dead."""
        return respond(call(service, "replay_dead_letter", letter_id))


@blp.route("/<string:service>/<string:letter_id>/discard", parameters=[SERVICE])
class Discard(MethodView):
    @blp.response(200, DeadLetterSchema)
    def post(self, service, letter_id):
        """Give a dead letter up for good: `discarded`, kept for audit; 409 unless it is dead."""
        return respond(call(service, "discard_dead_letter", letter_id))
