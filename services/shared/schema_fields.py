"""Marshmallow fields every service's schemas share."""
from datetime import timezone

from marshmallow import ValidationError, fields


class UtcDateTime(fields.AwareDateTime):
    """ISO 8601 with an offset on the wire; naive UTC `datetime` in storage, as pymongo returns it.

    Input without an offset is refused: a time zone is never guessed.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        aware = super()._deserialize(value, attr, data, **kwargs)
        try:
            return aware.astimezone(timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise ValidationError("Out of the range of dates that can be stored.") from None
