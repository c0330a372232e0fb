"""The queue page's own words and SLA badges, without a browser: the filter words cover the
service's values and read in Russian; a badge shows the most urgent state of a ticket's SLA."""
from gateway import i18n
from gateway.web.queue.vocabulary import QUEUE_LABELS, SLA_BADGE, sla_badge, words
from services.tickets.contracts.coverage import PAYMENT_STATES
from services.tickets.sla.clock import STATES, TARGETS
from services.tickets.tickets.vocabulary import CHANNELS


def test_the_filter_words_cover_the_services_values_and_read_in_russian():
    assert set(QUEUE_LABELS["sla_state"]) == set(STATES)
    assert set(QUEUE_LABELS["sla_target"]) == set(TARGETS)
    assert set(QUEUE_LABELS["channel"]) == set(CHANNELS)
    assert set(QUEUE_LABELS["payment_state"]) == set(PAYMENT_STATES)  # the caller card's badge
    russian = i18n.catalog("ru")
    tables = [*QUEUE_LABELS.values(), SLA_BADGE]
    untranslated = [text for table in tables for text in table.values()
                    if russian.gettext(text) == text and text != "API"]
    assert untranslated == []


def sla(paused=False, **states):
    return {"paused": paused,
            "targets": {target: {"state": state} for target, state in states.items()}}


def test_a_breach_shows_before_a_pause_and_a_pause_before_a_warning():
    assert sla_badge(sla(True, reaction="met", resolution="breached")) == "breached"
    assert sla_badge(sla(True, reaction="paused", resolution="warning")) == "paused"
    assert sla_badge(sla(reaction="warning", resolution="running")) == "warning"


def test_a_running_or_met_clock_or_none_shows_no_badge():
    assert sla_badge(sla(reaction="running", resolution="running")) is None
    assert sla_badge(sla(reaction="met", resolution="met")) is None
    assert sla_badge(None) is None
    assert sla_badge({"paused": False, "targets": None}) is None


def test_the_rows_words_come_in_the_pages_language():
    assert words("ru")["sla"]["breached"] == "SLA нарушен"
    assert words("ru")["status"]["waiting"] == "Ожидание"
    assert words("en")["sla"]["warning"] == "Due soon"
