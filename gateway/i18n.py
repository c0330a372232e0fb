"""Translation catalogs for what the gateway says to people (error titles for now).

Catalogs are the gettext .po files under translations/; they are compiled in memory at start, so
there is no build step to forget. Russian is the default; English is chosen by Accept-Language.
"""
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import has_request_context, request

LOCALES = ("ru", "en")
DEFAULT_LOCALE = "ru"
CATALOGS = Path(__file__).parent / "translations"


@lru_cache(maxsize=None)
def catalog(locale):
    path = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        parsed = read_po(po, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_locale():
    if not has_request_context():
        return DEFAULT_LOCALE
    return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE)


def gettext(message):
    return catalog(current_locale()).gettext(message)
