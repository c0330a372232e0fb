"""Marshmallow fields every service's schemas share."""
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from marshmallow import ValidationError, fields

from services.shared.validation import REFUSED_KEY, storable_key


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


class DayOrMoment(UtcDateTime):
    """A date and time with an offset (naive UTC once loaded), or a plain date YYYY-MM-DD, kept
    as that string: its midnight depends on a time zone the reader of the field knows (the
    account's), so the service turns it into a moment (`midnight_in`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        return super()._deserialize(value, attr, data, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def midnight_in(value, time_zone):
    """A DayOrMoment as naive UTC: a plain date is its midnight in the IANA `time_zone`."""
    if not isinstance(value, str):
        return value
    local = datetime.combine(date.fromisoformat(value), time.min, ZoneInfo(time_zone))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


class FreeFormDict(fields.Dict):
    """A dict whose keys people choose (equipment parameters, prices per client category): each
    key must be storable as a MongoDB field name (`validation.storable_key`); a refused one is
    named in the path (`parameters.a.b`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, Mapping):
            refused = {key: [REFUSED_KEY] for key in value
                       if isinstance(key, str) and not storable_key(key)}
            if refused:
                raise ValidationError(refused)
        return super()._deserialize(value, attr, data, **kwargs)


class IsoDate(fields.Date):
    """A calendar date (no time, no zone): YYYY-MM-DD on the wire and in storage, where such
    strings compare in date order."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) or value is None else value.isoformat()

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()


CENTS = Decimal("0.01")


class Money(fields.Dict):
    """An amount as a decimal string with a currency code: {"amount": "1500.00", "currency": "RUB"}."""

    AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
    CURRENCIES = ("RUB", "USD", "EUR", "KZT", "BYN")

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if set(value) - {"amount", "currency"}:
            raise ValidationError("Only amount and currency.")
        amount = value.get("amount")
        if not isinstance(amount, str) or not self.AMOUNT.match(amount):
            raise ValidationError("amount: a decimal string such as \"1500.00\".")
        currency = value.get("currency", "RUB")
        if currency not in self.CURRENCIES:
            raise ValidationError(f"currency: one of {', '.join(self.CURRENCIES)}.")
        return {"amount": str(Decimal(amount).quantize(CENTS)), "currency": currency}


class Settings(fields.Dict):
    """A flat bag of settings: snake_case keys; strings, booleans, 64-bit integers, finite
    numbers, or short lists of those. Anything a store could refuse is refused here instead."""

    KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
    MAX_KEYS, MAX_TEXT, MAX_LIST = 100, 2000, 100

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if len(value) > self.MAX_KEYS:
            raise ValidationError(f"At most {self.MAX_KEYS} settings.")
        for key, item in value.items():
            if not self.KEY.match(key):
                raise ValidationError(f"{key!r}: keys are snake_case, up to 64 characters.")
            items = item if isinstance(item, list) else [item]
            if len(items) > self.MAX_LIST or not all(self._scalar(i) for i in items):
                raise ValidationError(f"{key}: a string, boolean, number or a short list of those.")
        return value

    def _scalar(self, item):
        if isinstance(item, bool) or item is None:
            return True
        if isinstance(item, int):
            return -2 ** 63 <= item < 2 ** 63
        if isinstance(item, float):
            return math.isfinite(item)
        return isinstance(item, str) and len(item) <= self.MAX_TEXT
