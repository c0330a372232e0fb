"""A ticket may name the knowledge-base suggestion shown while it was written, and only one of
its own account. The tickets service keeps the id alone (it cannot see the knowledge database),
so the gateway asks the knowledge service before a ticket is created, for the API and the pages
alike."""
from gateway.calls import call
from services.shared.errors import ValidationFailed

FOREIGN = "No suggestion with this id in this account."


def check_suggestion(data):
    """422 `suggestion_id` unless `data` names no suggestion or one of the caller's account."""
    suggestion_id = data.get("suggestion_id")
    if suggestion_id and not call("knowledge", "suggestion_in_account", suggestion_id):
        raise ValidationFailed.from_fields({"suggestion_id": [FOREIGN]})
