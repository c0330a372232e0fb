"""Jinja filters that format for the page's language and the account's time zone (babel), and the
gettext callables of the templates' {% trans %} and _().

    {{ ticket.created_at | datetime }}      7 дек. 2026 г., 14:05  (account's zone)
    {{ 2500 | number }}                     2 500
    {{ {"amount": "2500", "currency": "RUB"} | money }}   2 500,00 ₽
"""
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from flask import session

from gateway.i18n import catalog, current_locale, gettext
from gateway.web.signin import DEFAULT_TIME_ZONE
from gateway.web.vocabulary import LABELS

DEFAULT_CURRENCY = "RUB"


def time_zone():
    return ZoneInfo(session.get("time_zone") or DEFAULT_TIME_ZONE)


@lru_cache(maxsize=None)
def babel_locale(name):
    """Babel parses a locale name on every call it is given one; a page formats dozens of dates
    and amounts, so each language is parsed once."""
    return Locale.parse(name)


def locale():
    return babel_locale(current_locale())


def as_datetime(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def datetime_filter(value, form="medium"):
    if not value:
        return ""
    return format_datetime(as_datetime(value), format=form, tzinfo=time_zone(),
                           locale=locale())


def number_filter(value):
    return format_decimal(Decimal(str(value)), locale=locale())


def money_filter(value, currency=DEFAULT_CURRENCY):
    """A money object of the API ({"amount": "2500.00", "currency": "RUB"}) or a bare amount."""
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        value, currency = value.get("amount"), value.get("currency") or currency
    return format_currency(Decimal(str(value)), currency, locale=locale())


def ngettext(singular, plural, n):
    return catalog(current_locale()).ngettext(singular, plural, n)


def install(jinja_env):
    # newstyle: {{ _("Hello %(name)s", name=x) }} formats and escapes in the template.
    jinja_env.install_gettext_callables(gettext, ngettext, newstyle=True)
    jinja_env.filters.update(datetime=datetime_filter, number=number_filter, money=money_filter)
    jinja_env.globals["labels"] = LABELS
