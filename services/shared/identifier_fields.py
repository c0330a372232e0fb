"""Marshmallow fields for identifiers people type: phones, INN/KPP, e-mails, time zones.

Each normalises what it accepts, so that stored values compare equal however they were written.
"""
import re
from functools import lru_cache
from zoneinfo import available_timezones

import phonenumbers
from marshmallow import ValidationError, fields
from stdnum.ru import inn as stdnum_inn

DEFAULT_PHONE_REGION = "RU"
KPP_PATTERN = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


class Phone(fields.String):
    """Any way a Russian (or international) number is written -> E.164, e.g.
    '8 (495) 123-45-67' -> '+74951234567'."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
        except phonenumbers.NumberParseException:
            raise ValidationError("Not a phone number.") from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError("Not a valid phone number.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164(text):
    """`text` as an E.164 number when it is a valid phone number in some format, else None (what
    `Phone` accepts, for text that may or may not be a number, such as a search)."""
    try:
        return Phone().deserialize(text)
    except ValidationError:
        return None


class Inn(fields.String):
    """A Russian taxpayer number: 10 digits (organisation) or 12 (individual), checksums verified."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs).strip()
        if not stdnum_inn.is_valid(raw):
            raise ValidationError("Not a valid INN: 10 or 12 digits with correct check digits.")
        return stdnum_inn.compact(raw)


class Kpp(fields.String):
    """Tax registration reason code: 9 characters, the 5th and 6th may be capital letters."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not KPP_PATTERN.match(raw):
            raise ValidationError("Not a valid KPP: 4 digits, 2 digits or capital letters, 3 digits.")
        return raw


class Email(fields.Email):
    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip().lower()


class TimeZone(fields.String):
    """An IANA time zone name such as Europe/Moscow or Asia/Vladivostok."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if raw not in known_time_zones():
            raise ValidationError("Not an IANA time zone name (for example Europe/Moscow).")
        return raw


@lru_cache(maxsize=1)
def known_time_zones():
    # The tzdata package guarantees the database where the OS has none (slim containers).
    return frozenset(available_timezones())
