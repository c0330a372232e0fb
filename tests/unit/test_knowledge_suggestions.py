"""Suggestions for a draft ticket, their record, the deflection arithmetic and answer relations,
on the embedded store."""
from datetime import timedelta

import pytest

from services.knowledge import deflection, suggestions
from services.knowledge.access import answerer, report_reader
from services.knowledge.excerpts import excerpt
from services.knowledge.schemas import (ArticleWriteSchema, DeflectionQuerySchema,
                                        SuggestionOutcomeSchema, SuggestionRequestSchema)
from services.knowledge.store import Store
from services.shared.actor import Actor
from services.shared.errors import Conflict, Forbidden, NotFound, Unavailable, ValidationFailed
from services.shared.validation import load

AGENT = Actor("acme", "employee", "e1", roles=("agent",))
DISPATCHER = Actor("acme", "employee", "e2", roles=("dispatcher",))
CONTACT = Actor("acme", "contact", "c1", client_id="k1", client_scope="own")
NEIGHBOUR = Actor("acme", "contact", "c2", client_id="k1", client_scope="own")
STRANGER = Actor("globex", "contact", "c1", client_id="k9", client_scope="own")


@pytest.fixture
def kb(db):
    Store.create_indexes(db)
    return Store(db)


def publish(kb, title, body="Проверьте считыватель и питание.", visibility="all_clients"):
    data = load(ArticleWriteSchema(), {"title": title, "body": body, "state": "published",
                                       "visibility": visibility})
    return kb.articles.create("acme", AGENT.as_reference(), data)["_id"]


def suggest(kb, actor, title, description=""):
    request = load(SuggestionRequestSchema(), {"title": title, "description": description})
    return suggestions.suggest(kb, actor, request)


def outcome(kb, actor, suggestion_id, **data):
    return kb.suggestions.outcome(actor, suggestion_id, load(SuggestionOutcomeSchema(), data))


# -- the arithmetic ----------------------------------------------------------------------------

def record(shown, opened=(), outcome=None):
    return {"shown": list(shown), "opened": list(opened), "outcome": outcome}


NO_TICKET, TICKET = {"ticket_created": False}, {"ticket_created": True, "ticket_id": "t1"}


def test_deflection_counts_per_article_and_in_total():
    records = [record(["a", "b"], ["a"], NO_TICKET),       # a deflected
               record(["a", "b"], ["a", "b"], TICKET),     # both opened, a ticket anyway
               record(["a"], ["a"], None),                 # opened, outcome not known yet
               record(["b"], [], NO_TICKET),               # shown, not opened: no deflection
               record([], [], TICKET)]                     # nothing to show
    result = deflection.report(records, titles={"a": "Турникет"})
    rows = {row["article_id"]: row for row in result["articles"]}
    assert rows["a"] == {"article_id": "a", "title": "Турникет", "shown": 3, "opened": 3,
                         "deflected": 1, "tickets_created": 1, "awaiting_outcome": 1,
                         "deflection_rate": 0.5}
    assert rows["b"] == {"article_id": "b", "title": None, "shown": 3, "opened": 1,
                         "deflected": 0, "tickets_created": 1, "awaiting_outcome": 0,
                         "deflection_rate": 0.0}
    # The total counts suggestions: two articles opened in one suggestion are one opening.
    assert result["total"] == {"suggestions": 5, "shown": 4, "opened": 3, "deflected": 1,
                               "tickets_created": 1, "awaiting_outcome": 1,
                               "deflection_rate": 0.5}
    assert [row["article_id"] for row in result["articles"]] == ["a", "b"]


def test_the_rate_is_over_known_outcomes_and_none_without_any():
    assert deflection.rate(0, 0) is None
    assert deflection.rate(2, 1) == 0.6667
    only_shown = deflection.report([record(["a"])])
    assert only_shown["articles"][0]["deflection_rate"] is None
    assert only_shown["total"]["deflection_rate"] is None


def test_one_article_keeps_its_suggestions_and_its_row_only():
    records = [record(["a", "b"], ["b"], NO_TICKET), record(["b"], ["b"], TICKET),
               record(["a"], ["a"], TICKET)]
    result = deflection.report(records, article_id="a")
    assert [row["article_id"] for row in result["articles"]] == ["a"]
    assert result["articles"][0]["tickets_created"] == 1
    assert result["total"]["suggestions"] == 2 and result["total"]["deflected"] == 1


def test_opened_ids_that_were_not_shown_and_repeats_do_not_count():
    result = deflection.report([record(["a", "a"], ["a", "x"], NO_TICKET)])
    assert result["articles"] == [{"article_id": "a", "title": None, "shown": 1, "opened": 1,
                                   "deflected": 1, "tickets_created": 0, "awaiting_outcome": 0,
                                   "deflection_rate": 1.0}]


# -- recording ---------------------------------------------------------------------------------

def test_a_suggestion_is_recorded_with_what_was_shown(kb):
    turnstile = publish(kb, "Турникет не пропускает по карте")
    publish(kb, "Принтер печатает полосы")
    internal = publish(kb, "Турникет: сервисный пароль", visibility="internal")
    shown = suggest(kb, CONTACT, "Турникеты не пускают", "карта не срабатывает у турникета")
    assert [hit["id"] for hit in shown["items"]] == [turnstile]  # not the internal one
    stored = kb.suggestions.get(CONTACT, shown["suggestion_id"])
    assert stored["shown"] == [turnstile] and stored["opened"] == []
    assert stored["actor"] == {"kind": "contact", "id": "c1"} and stored["outcome"] is None
    assert internal in [hit["id"] for hit in suggest(kb, AGENT, "турникет")["items"]]


def test_opened_and_outcome_are_recorded_on_ones_own_record_only(kb):
    turnstile = publish(kb, "Турникет не пропускает по карте")
    suggestion_id = suggest(kb, CONTACT, "турникет")["suggestion_id"]
    for other in (NEIGHBOUR, STRANGER, AGENT):
        with pytest.raises(NotFound):
            kb.suggestions.opened(other, suggestion_id, turnstile)
        with pytest.raises(NotFound):
            outcome(kb, other, suggestion_id, ticket_created=False)
    kb.suggestions.opened(CONTACT, suggestion_id, turnstile)
    assert kb.suggestions.opened(CONTACT, suggestion_id, turnstile)["opened"] == [turnstile]
    with pytest.raises(ValidationFailed) as refused:
        kb.suggestions.opened(CONTACT, suggestion_id, "not-shown")
    assert "article_id" in refused.value.fields
    stored = outcome(kb, CONTACT, suggestion_id, ticket_created=True, ticket_id="t1")
    assert stored["outcome"]["ticket_created"] is True and stored["outcome"]["ticket_id"] == "t1"
    assert outcome(kb, CONTACT, suggestion_id, ticket_created=True, ticket_id="t1") is not None
    with pytest.raises(Conflict):
        outcome(kb, CONTACT, suggestion_id, ticket_created=False)


def test_an_outcome_names_a_ticket_only_when_one_was_created():
    with pytest.raises(ValidationFailed) as refused:
        load(SuggestionOutcomeSchema(), {"ticket_created": False, "ticket_id": "t1"})
    assert "ticket_id" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        load(SuggestionOutcomeSchema(), {})
    assert "ticket_created" in refused.value.fields


def test_the_report_over_stored_records_and_a_period(kb):
    turnstile = publish(kb, "Турникет не пропускает по карте")
    for actor, opened, created in ((CONTACT, True, False), (NEIGHBOUR, True, True),
                                   (AGENT, False, False)):
        suggestion_id = suggest(kb, actor, "турникет")["suggestion_id"]
        if opened:
            kb.suggestions.opened(actor, suggestion_id, turnstile)
        outcome(kb, actor, suggestion_id, ticket_created=created)
    other_account = kb.suggestions.create(STRANGER, [turnstile])
    kb.suggestions.records.update_one({"_id": other_account["_id"]},
                                      {"$set": {"opened": [turnstile]}})
    today = kb.suggestions.get(AGENT, suggestion_id)["created_at"].date()
    query = load(DeflectionQuerySchema(), {"from": today.isoformat(), "to": today.isoformat()})
    result = suggestions.deflection_report(kb, "acme", query)
    assert result["articles"] == [{
        "article_id": turnstile, "title": "Турникет не пропускает по карте", "shown": 3,
        "opened": 2, "deflected": 1, "tickets_created": 1, "awaiting_outcome": 0,
        "deflection_rate": 0.5}]
    assert result["period"] == {"from": today.isoformat(), "to": today.isoformat()}
    tomorrow = (today + timedelta(days=1)).isoformat()
    later = suggestions.deflection_report(kb, "acme", load(DeflectionQuerySchema(),
                                                           {"from": tomorrow}))
    assert later["articles"] == [] and later["total"]["suggestions"] == 0
    yesterday = (today - timedelta(days=1)).isoformat()
    earlier = suggestions.deflection_report(kb, "acme", load(DeflectionQuerySchema(),
                                                             {"to": yesterday}))
    assert earlier["total"]["suggestions"] == 0


def test_a_period_ends_after_it_starts():
    with pytest.raises(ValidationFailed) as refused:
        load(DeflectionQuerySchema(), {"from": "2026-11-25", "to": "2026-11-24"})
    assert "to" in refused.value.fields


def test_who_reads_the_report_and_who_answers_with_articles():
    assert report_reader(DISPATCHER.to_dict()) == DISPATCHER
    for refused in (AGENT, CONTACT):
        with pytest.raises(Forbidden):
            report_reader(refused.to_dict())
    assert answerer(AGENT.to_dict()) == AGENT
    with pytest.raises(Forbidden):
        answerer(CONTACT.to_dict())


# -- answers -----------------------------------------------------------------------------------

def test_an_answer_is_recorded_once_per_ticket_and_article(kb):
    turnstile = publish(kb, "Турникет не пропускает по карте")
    first, created = kb.answers.record("acme", AGENT.as_reference(), turnstile, "t1", "c1")
    assert created and first["comment_id"] == "c1"
    again, created = kb.answers.record("acme", AGENT.as_reference(), turnstile, "t1", "c2")
    assert not created and again["comment_id"] == "c1"
    kb.answers.record("acme", AGENT.as_reference(), turnstile, "t2", "c3")
    kb.answers.record("globex", AGENT.as_reference(), turnstile, "t3", "c4")
    assert kb.answers.count("acme", turnstile) == 2
    assert kb.answers.find("acme", "t3", turnstile) is None


def test_an_excerpt_is_plain_text_cut_at_a_word():
    assert excerpt({"body": "Проверьте **считыватель**."}) == "Проверьте считыватель."
    cut = excerpt({"body": "слово " * 100}, limit=20)
    assert cut == "слово слово слово…"


# -- the gateway's orchestration of an answer, over fake services ------------------------------

class FakeServices:
    """knowledge and tickets as the gateway's `call` sees them; `record_answer` fails once."""

    def __init__(self):
        self.comments, self.relations, self.failures = [], {}, 1

    def __call__(self, service, method, *args, schema=None, data=None):
        if (service, method) == ("knowledge", "get_article"):
            return {"id": args[0], "title": "Турникет", "excerpt": "Проверьте считыватель.",
                    "state": "published", "visibility": "all_clients"}
        if (service, method) == ("knowledge", "get_answer"):
            return self.relations.get(args)
        if (service, method) == ("tickets", "get_ticket"):
            return {"id": args[0], "comments": list(self.comments)}
        if (service, method) == ("tickets", "add_comment"):
            self.comments.append(dict(schema.dump(data), id=f"c{len(self.comments) + 1}"))
            return self.comments[-1]
        if (service, method) == ("knowledge", "record_answer"):
            if self.failures:
                self.failures -= 1
                raise Unavailable("The knowledge service did not answer in time.")
            article_id, ticket_id, comment_id = args
            self.relations[(ticket_id, article_id)] = {"comment_id": comment_id}
            return {"answer": {"comment_id": comment_id}, "created": True}
        raise AssertionError((service, method))


def test_a_failed_recording_is_503_and_posting_again_adds_no_second_comment(monkeypatch):
    from gateway.knowledge import answers
    services = FakeServices()
    monkeypatch.setattr(answers, "call", services)
    with pytest.raises(Unavailable) as failed:
        answers.answer_with_article("t1", "a1")
    assert failed.value.extra == {"comment_id": "c1", "retry": "safe"}
    assert [comment["body"] for comment in services.comments] == [
        "Турникет\n\nПроверьте считыватель.\n\n/kb/articles/a1"]
    assert services.comments[0]["visibility"] == "public"
    assert answers.answer_with_article("t1", "a1") == ({"comment_id": "c1", "created": True}, 201)
    assert answers.answer_with_article("t1", "a1") == ({"comment_id": "c1", "created": False}, 200)
    assert len(services.comments) == 1


def test_only_a_published_article_for_all_clients_is_posted():
    from gateway.knowledge.answers import refuse_unless_public
    refuse_unless_public({"state": "published", "visibility": "all_clients"})
    for article in ({"state": "published", "visibility": "internal"},
                    {"state": "draft", "visibility": "all_clients"},
                    {"state": "published", "visibility": "categories"}):
        with pytest.raises(ValidationFailed) as refused:
            refuse_unless_public(article)
        assert "article_id" in refused.value.fields


def test_a_ticket_written_with_a_suggestion_settles_its_outcome(kb):
    publish(kb, "Турникет не пропускает по карте")
    shown = suggest(kb, CONTACT, "турникет не пускает")["suggestion_id"]
    creator = {"kind": "contact", "id": "c1"}
    assert not kb.suggestions.ticket_followed("globex", shown, creator, "t0")   # another account
    assert not kb.suggestions.ticket_followed("acme", shown, {"kind": "contact", "id": "c2"}, "t0")
    assert kb.suggestions.get(CONTACT, shown)["outcome"] is None
    outcome(kb, CONTACT, shown, ticket_created=False)          # gave up first, came back later
    assert kb.suggestions.ticket_followed("acme", shown, creator, "t1")
    recorded = kb.suggestions.get(CONTACT, shown)["outcome"]
    assert (recorded["ticket_created"], recorded["ticket_id"]) == (True, "t1")
    assert not kb.suggestions.ticket_followed("acme", shown, creator, "t2")  # the first one stays
    assert kb.suggestions.get(CONTACT, shown)["outcome"]["ticket_id"] == "t1"
