"""The web pages' texts and formats: every text the pages show has its Russian translation in
some catalog, the field reasons of a 422 come out in Russian, and money and dates are formatted
for the locale and the account's time zone."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import Flask, g, session

from gateway import i18n
from gateway.web import errors, formatting, forms, vocabulary

WEB = Path(i18n.__file__).parent / "web"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def shown_texts():
    """Every msgid of the templates and views, and the words of the fixed tables."""
    found = set()
    for pattern, method in (("**/*.html", "jinja2.ext:babel_extract"), ("**/*.py", "python")):
        for path in WEB.glob(pattern):
            for _, message, _, _ in extract_from_file(method, str(path), keywords=KEYWORDS):
                found.update([message] if isinstance(message, str) else message[:1])
    for table in vocabulary.LABELS.values():
        found.update(table.values())
    found.update(errors.MESSAGES.values())
    found.update(errors.EXPIRED_FORM[1:])
    found.update(msgid for _, msgid in i18n.reason_templates())
    return found


@pytest.fixture
def app():
    app = Flask(__name__)
    app.secret_key = "test"
    return app


def test_every_text_of_the_pages_has_a_russian_translation():
    russian, texts = i18n.catalog("ru"), shown_texts()
    assert {"Queue", "Sign in", "To the start page", "Critical"} <= texts  # the extraction sees them
    missing = sorted(text for text in texts if russian.gettext(text) == text)
    assert missing == []


def test_area_catalogs_are_merged_with_the_gateways_own():
    russian = i18n.catalog("ru")
    assert russian.gettext("Not found") == "Не найдено"   # gateway/translations
    assert russian.gettext("Queue") == "Очередь"          # gateway/web/queue/translations
    assert russian.gettext("Sign in") == "Вход"           # gateway/web/session/translations


def test_no_msgid_is_in_two_catalogs():
    seen = {}
    for path in i18n.catalog_files("ru"):
        with path.open("rb") as po:
            for message in read_po(po):
                if message.id:
                    assert message.id not in seen, f"{message.id!r} in {path} and {seen[message.id]}"
                    seen[message.id] = path


@pytest.mark.parametrize("locale, reason, translated", [
    ("ru", "Missing data for required field.", "Обязательное поле."),
    ("ru", "Length must be between 10 and 128.", "Длина должна быть от 10 до 128 символов."),
    ("ru", "Must be one of: low, normal.", "Допустимые значения: low, normal."),
    ("ru", "A reason nobody translated.", "A reason nobody translated."),
    ("ru", "Must be greater than or equal to 1 and less than or equal to 100.",
     "Должно быть от 1 до 100."),
    ("ru", "Keys may not start with $ or contain a dot or a NUL character.",
     "Ключ не может начинаться с $ и содержать точку или символ NUL."),
    ("ru", "No client c-1 in this account.", "В этой учётной записи нет клиента c-1."),
    ("ru", "Not a valid aware datetime.",
     "Ожидаются дата и время со смещением часового пояса (ISO 8601)."),
    ("en", "Length must be between 10 and 128.", "Length must be between 10 and 128."),
    ("en", "No group g-1 in this account.", "No group g-1 in this account."),
])
def test_a_422_reason_comes_out_in_the_pages_language(app, locale, reason, translated):
    with app.test_request_context():
        g.locale = locale
        assert forms.translate_reason(reason) == translated


def test_money_numbers_and_dates_follow_the_locale_and_the_accounts_zone(app):
    with app.test_request_context():
        g.locale = "ru"
        session["time_zone"] = "Asia/Yekaterinburg"
        assert formatting.money_filter({"amount": "2500", "currency": "RUB"}) == "2\xa0500,00\xa0₽"
        assert formatting.number_filter(1234567.5) == "1\xa0234\xa0567,5"
        assert formatting.datetime_filter("2026-12-07T21:05:00Z", "short") == "08.12.2026, 02:05"
        g.locale = "en"
        assert formatting.money_filter("2500").endswith("2,500.00")


def test_without_an_account_zone_dates_are_in_moscow_time(app):
    with app.test_request_context():
        g.locale = "ru"
        assert formatting.datetime_filter("2026-12-07T21:05:00Z", "short") == "08.12.2026, 00:05"
