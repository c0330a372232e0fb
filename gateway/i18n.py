"""Translation catalogs for what the gateway says to people: error titles, and every text of the
web pages.

Catalogs are gettext .po files: the gateway's own under translations/<locale>/LC_MESSAGES/
(messages.po; reasons.po for the field reasons of 422 answers), and
one pair per web area (gateway/web/<area>/translations/<locale>.po, and gateway/web/translations/
for the shared layout), so that helpers working on different areas never edit one file. They are
merged and compiled in memory at start, so there is no build step to forget.

Russian is the default. The API follows Accept-Language; a web page follows the person's choice
(`g.locale`, set by gateway/web from the language cookie or the account's default).
"""
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import g, has_request_context, request

LOCALES = ("ru", "en")
DEFAULT_LOCALE = "ru"
CATALOGS = Path(__file__).parent / "translations"
REASONS = "reasons.po"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
WEB = Path(__file__).parent / "web"


def catalog_files(locale):
    yield CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    yield CATALOGS / locale / "LC_MESSAGES" / REASONS
    yield from sorted(WEB.glob(f"translations/{locale}.po"))
    yield from sorted(WEB.glob(f"*/translations/{locale}.po"))


def compiled(path, locale):
    with path.open("rb") as po:
        parsed = read_po(po, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)
    buffer.seek(0)
    return Translations(fp=buffer)


@lru_cache(maxsize=None)
def catalog(locale):
    """All catalogs of `locale` in one."""
    merged = None
    for path in catalog_files(locale):
        if path.exists():
            # The first one (the gateway's) brings the plural rule of the language.
            merged = compiled(path, locale) if merged is None else merged.merge(compiled(path, locale))
    return merged or NullTranslations()


def current_locale():
    if not has_request_context():
        return DEFAULT_LOCALE
    if "locale" in g:
        return g.locale
    return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE)


def gettext(message, **variables):
    text = catalog(current_locale()).gettext(message)
    return text % variables if variables else text



@lru_cache(maxsize=None)
def reason_templates():
    """(pattern, msgid) of every reason msgid with {placeholders}, the most specific first: the
    services format their reasons before they cross the bus, so a reason is matched back to its
    template and the values it carries."""
    with (CATALOGS / DEFAULT_LOCALE / "LC_MESSAGES" / REASONS).open("rb") as po:
        msgids = [message.id for message in read_po(po) if message.id and "{" in message.id]
    templates = []
    for msgid in msgids:
        parts = PLACEHOLDER.split(msgid)  # literal, name, literal, name, ..., literal
        pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                          for i, part in enumerate(parts))
        templates.append((re.compile(pattern, re.DOTALL), msgid, len("".join(parts[::2]))))
    templates.sort(key=lambda template: -template[2])
    return [(pattern, msgid) for pattern, msgid, _ in templates]


def translate_reason(reason):
    """A field reason (marshmallow's or a service's, already formatted) in the current language."""
    translations = catalog(current_locale())
    text = translations.gettext(reason)
    if text != reason:
        return text
    for pattern, msgid in reason_templates():
        found = pattern.fullmatch(reason)
        if found:
            return translations.gettext(msgid).format(**found.groupdict())
    return reason
