"""The queue page's own words and SLA badges, without a browser: the filter words cover the
service's values and read in Russian; a badge shows the most urgent state of a ticket's SLA."""
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from gateway import i18n
from gateway.web.queue.vocabulary import QUEUE_LABELS
from services.tickets.sla.clock import STATES, TARGETS
from services.tickets.vocabulary import CHANNELS

TEMPLATES = Path(i18n.__file__).parent / "web" / "queue" / "templates"


def test_the_filter_words_cover_the_services_values_and_read_in_russian():
    assert set(QUEUE_LABELS["sla_state"]) == set(STATES)
    assert set(QUEUE_LABELS["sla_target"]) == set(TARGETS)
    assert set(QUEUE_LABELS["channel"]) == set(CHANNELS)
    russian = i18n.catalog("ru")
    untranslated = [text for table in QUEUE_LABELS.values() for text in table.values()
                    if russian.gettext(text) == text and text != "API"]
    assert untranslated == []


@pytest.fixture
def badge():
    environment = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"])
    environment.install_gettext_translations(i18n.catalog("ru"), newstyle=True)
    macro = environment.get_template("queue/filters.html").module.sla_badge
    return lambda sla: " ".join(str(macro(sla)).split())


def sla(paused=False, **states):
    return {"paused": paused, "targets": {target: {"state": state} for target, state in states.items()}}


def test_a_breach_shows_before_a_pause_and_a_pause_before_a_warning(badge):
    assert "SLA нарушен" in badge(sla(True, reaction="met", resolution="breached"))
    assert "SLA на паузе" in badge(sla(True, reaction="paused", resolution="warning"))
    assert "Скоро срок" in badge(sla(reaction="warning", resolution="running"))
    assert "sla-warning" in badge(sla(reaction="met", resolution="warning"))


def test_a_running_clock_or_none_shows_no_badge(badge):
    assert badge(sla(reaction="running", resolution="running")) == ""
    assert badge(sla(reaction="met", resolution="met")) == ""
    assert badge(None) == ""
