"""What the dead-letter API takes and answers, the same for every service (dead_letters.py)."""
from marshmallow import Schema, fields, validate

from services.shared.dead_letters import STATES
from services.shared.page_schemas import page_of
from services.shared.schema_fields import UtcDateTime

MAX_PAGE = 100
NAME = validate.Length(min=1, max=100)


class DeadLetterQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    event_type = fields.String(validate=NAME, metadata={
        "description": "An event type (ticket_status_changed, ...) or telephony_webhook."})
    source = fields.String(validate=NAME, metadata={
        "description": "The service that published the event, or gateway for webhooks."})
    created_from = UtcDateTime(metadata={"description": "Letters buried from this moment on."})
    created_to = UtcDateTime(metadata={"description": "Letters buried before this moment."})
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


class DeadLetterActorSchema(Schema):
    """Who replayed or discarded a letter."""
    kind = fields.String()
    id = fields.String()


class DeadLetterReplaySchema(Schema):
    at = UtcDateTime()
    by = fields.Nested(DeadLetterActorSchema)
    outcome = fields.String(metadata={
        "description": "handled; already_handled (the event was handled meanwhile, the handler "
                       "did not run again); failed"})
    error = fields.String()


class DeadLetterSchema(Schema):
    id = fields.String(attribute="_id")
    source = fields.String()
    event_type = fields.String()
    account_id = fields.String(allow_none=True)
    state = fields.String(metadata={"description": ", ".join(STATES)})
    error = fields.String(metadata={"description": "Why the last attempt failed."})
    created_at = UtcDateTime(attribute="at", metadata={"description": "When it was buried."})
    payload = fields.Raw(metadata={
        "description": "The event or message; credentials and raw signed requests are "
                       "[hidden] (docs/security.md)."})
    replays = fields.List(fields.Nested(DeadLetterReplaySchema), dump_default=list)
    replayed_at = UtcDateTime()
    replayed_by = fields.Nested(DeadLetterActorSchema)
    discarded_at = UtcDateTime()
    discarded_by = fields.Nested(DeadLetterActorSchema)


DeadLetterPageSchema = page_of(DeadLetterSchema)
