"""Reading the fields of one 1C record, loudly.

1C data arrives through a publication someone else configures: a property can be missing (not
published, renamed in a release), empty, or of another type. Every accessor here either returns a
clean Python value or raises ValidationFailed naming `<entity>.<field>` and the record, so that a
sync run reports "Catalog_ДоговорыКонтрагентов.Дата: not a date (in ...(guid'...'))" instead of
dying on a KeyError.
"""
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from services.billing_sync.adapters.odata_query import EMPTY_REF, Guid
from services.shared.errors import ValidationFailed

EMPTY_DATE = "0001-01-01T00:00:00"
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
NUMBER_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


class Record:
    def __init__(self, entity, data, where=None):
        self.entity = entity
        self.data = data if isinstance(data, dict) else {}
        self.where = where or self._where()
        if not isinstance(data, dict):
            self.fail("_record", "not an object")

    def _where(self):
        ref = self.data.get("Ref_Key")
        return f"{self.entity}(guid'{ref}')" if isinstance(ref, str) else self.entity

    def fail(self, field, message):
        raise ValidationFailed.from_fields({f"{self.entity}.{field}": [f"{message} (in {self.where})"]})

    def _raw(self, field):
        if not field or field not in self.data:
            self.fail(field, "missing from 1C's answer: is it published, and is the mapping right?")
        return self.data[field]

    def key(self):
        """The record's own Ref_Key: never empty."""
        ref = self.ref("Ref_Key")
        if ref is None:
            self.fail("Ref_Key", "empty")
        return ref

    def ref(self, field):
        """A reference: a Guid, or None for 1C's empty reference."""
        value = self._raw(field)
        try:
            ref = Guid(value) if isinstance(value, str) else None
        except ValueError:
            ref = None
        if ref is None:
            self.fail(field, f"not a reference (GUID): {_show(value)}")
        return None if ref == EMPTY_REF else ref

    def link(self, field, entity):
        """A reference that may be composite (`field` with `field_Type` beside it, as БП's
        ExtDimension2 or УТ 11.4's `Заказ`): the Guid when it points into `entity`, else None."""
        ref = self.ref(field)
        kind = self.data.get(f"{field}_Type")
        if ref is not None and kind and kind.rpartition(".")[2] != entity:
            return None
        return ref

    def is_value(self, field, wanted):
        """Whether `field` holds `wanted`: "true"/"false" for a flag (БП's ДоговорЗакрыт),
        otherwise an enumeration value's name (УТ's Статус = Закрыт)."""
        if wanted in ("true", "false"):
            return self.flag(field) == (wanted == "true")
        return self.text(field) == wanted

    def text(self, field):
        value = self._raw(field)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(field, f"not text: {_show(value)}")
        return value.strip()

    def flag(self, field):
        value = self._raw(field)
        if not isinstance(value, bool):
            self.fail(field, f"not true or false: {_show(value)}")
        return value

    def moment(self, field):
        """A date and time (the infobase's local time, no offset), or None for the empty date."""
        value = self._raw(field)
        if value == EMPTY_DATE:
            return None
        if not isinstance(value, str) or not DATE_TEXT.match(value):
            self.fail(field, f"not a date: {_show(value)}")
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            self.fail(field, f"not a date: {_show(value)}")

    def day(self, field):
        moment = self.moment(field)
        return moment.date() if moment else None

    def amount(self, field):
        """A number as Decimal. 1C sends Edm.Double as a JSON number and Edm.Decimal as text; a
        float (from a source that did not parse numbers as Decimal) goes through its shortest
        repr, which is exact for amounts with two decimals."""
        value = self._raw(field)
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            self.fail(field, f"not a number: {_show(value)}")
        if isinstance(value, str) and not NUMBER_TEXT.match(value.strip()):
            self.fail(field, f"not a number: {_show(value)}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(field, f"not a number: {_show(value)}")
        if not number.is_finite():
            self.fail(field, f"not a number: {_show(value)}")
        return number

    def rows(self, field):
        """A tabular section: its rows as Records named `<entity>.<section>[<n>]`."""
        value = self._raw(field)
        if not isinstance(value, list):
            self.fail(field, f"not a tabular section: {_show(value)}")
        return [Record(f"{self.entity}.{field}[{number}]", row, self.where)
                for number, row in enumerate(value, start=1)]


def _show(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_guid(value, field):
    """A reference given by a person (a mapping form, an API call)."""
    try:
        return Guid(value)
    except (ValueError, TypeError, AttributeError):
        raise ValidationFailed.from_fields({field: ["Not a 1C reference (GUID)."]}) from None
