"""Marshmallow fields every service's schemas share."""
import re
from datetime import timezone
from decimal import Decimal

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
