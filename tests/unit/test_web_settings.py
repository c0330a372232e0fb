"""The settings list: every settings page an area declares is listed once, in the order of the
areas, with its label and description translated into Russian."""
from gateway import i18n
from gateway.web.settings.views import pages


def test_every_settings_page_is_listed_once_with_russian_texts():
    listed = pages()
    endpoints = [endpoint for endpoint, *_ in listed]
    assert len(endpoints) == len(set(endpoints))
    assert {"web.telephony_admin.integrations", "web.onec_admin.connections",
            "web.dead_letters_admin.letters", "web.audit.entries"} <= set(endpoints)
    russian = i18n.catalog("ru")
    untranslated = [text for _, label, description, _ in listed for text in (label, description)
                    if russian.gettext(text) == text]
    assert untranslated == []
    assert all(roles for *_, roles in listed)
