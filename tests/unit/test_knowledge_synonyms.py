"""Each account's synonym dictionary over the built-in lexicon: stored per account, changed only
over the version read, applied by that account's searches at their next query and by no other
account's."""
import pytest

from services.knowledge import searching, synonyms
from services.knowledge.schemas import ArticleWriteSchema
from services.knowledge.store import Store
from services.knowledge.store.search_index import AccountIndexes
from services.shared.actor import Actor
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.validation import load

ADMIN = {"kind": "employee", "id": "e1"}


def agent(account):
    return Actor(account, "employee", "e1", roles=("agent",))


@pytest.fixture
def kb(db):
    Store.create_indexes(db)
    return Store(db, AccountIndexes())


def publish(kb, account, title, body="Текст."):
    return kb.articles.create(account, ADMIN, load(ArticleWriteSchema(), {
        "title": title, "body": body, "state": "published", "visibility": "all_clients"}))


def found(kb, account, q):
    return [hit["title"] for hit in searching.search(kb, agent(account), {"q": q, "limit": 10})]


def test_an_accounts_entry_is_searched_by_that_account_only(kb):
    publish(kb, "acme", "Как выгрузить видеозапись на флешку")
    publish(kb, "globex", "Как выгрузить видеозапись на флешку")
    assert found(kb, "acme", "закинуть") == found(kb, "globex", "закинуть") == []
    kb.synonyms.put("acme", "закинуть", ["выгрузить"], ADMIN)
    assert found(kb, "acme", "закинул") == ["Как выгрузить видеозапись на флешку"]  # any form
    assert found(kb, "globex", "закинуть") == []
    kb.synonyms.remove("acme", "закинуть")
    assert found(kb, "acme", "закинуть") == []


def test_an_edit_applies_in_another_replica_at_its_next_search(kb):
    other = Store(kb.articles.articles.database, AccountIndexes())
    publish(kb, "acme", "Как выгрузить видеозапись на флешку")
    assert found(other, "acme", "закинуть") == []
    kb.synonyms.put("acme", "закинуть", ["выгрузить"], ADMIN)
    assert found(other, "acme", "закинуть") == ["Как выгрузить видеозапись на флешку"]


def test_the_built_in_lexicon_is_the_default_layer_an_account_can_replace_or_switch_off(kb):
    publish(kb, "acme", "Нет интернета в офисе")
    publish(kb, "acme", "Принтер в офисе")
    publish(kb, "globex", "Нет интернета в офисе")
    assert found(kb, "acme", "инет") == ["Нет интернета в офисе"]  # built in: инет -> интернет
    kb.synonyms.put("acme", "инет", [], ADMIN)
    assert found(kb, "acme", "инет") == []
    kb.synonyms.put("acme", "инет", ["принтер"], ADMIN)
    assert found(kb, "acme", "инет") == ["Принтер в офисе"]
    assert found(kb, "globex", "инет") == ["Нет интернета в офисе"]
    kb.synonyms.remove("acme", "инет")
    assert found(kb, "acme", "инет") == ["Нет интернета в офисе"]


def test_the_effective_entry_is_the_accounts_else_the_built_in_one():
    own = [{"word": "инет", "means": ["сеть"], "updated_at": None, "updated_by": ADMIN}]
    assert synonyms.effective(own, "инет")["source"] == "account"
    assert synonyms.effective([], "инет") == {"word": "инет", "means": ["интернет"],
                                             "source": "built_in", "updated_at": None,
                                             "updated_by": None}
    with pytest.raises(NotFound):
        synonyms.effective(own, "жаргонизм")


def test_entries_page_by_word(kb):
    for word in ("вертушка", "агрегат", "бандура"):
        kb.synonyms.put("acme", word, ["турникет"], ADMIN)
    first, cursor = kb.synonyms.page("acme", 2)
    assert [entry["word"] for entry in first] == ["агрегат", "бандура"]
    rest, last = kb.synonyms.page("acme", 2, cursor)
    assert [entry["word"] for entry in rest] == ["вертушка"] and last is None
    assert kb.synonyms.page("globex", 10) == ([], None)


def test_a_change_applies_over_the_version_it_read(kb, monkeypatch):
    """Two admins at once: the one whose version moved reads again and keeps the other's entry;
    a change that keeps losing gives up with Conflict and writes nothing."""
    kb.synonyms.put("acme", "вертушка", ["турникет"], ADMIN)
    read = kb.synonyms._read
    raced = []

    def racing_read(account_id):
        held = read(account_id)
        if not raced:
            raced.append(True)
            kb.synonyms.put("acme", "агрегат", ["турникет"], ADMIN)
        return held
    monkeypatch.setattr(kb.synonyms, "_read", racing_read)
    kb.synonyms.put("acme", "бандура", ["турникет"], ADMIN)
    monkeypatch.setattr(kb.synonyms, "_read", read)
    assert [entry["word"] for entry in kb.synonyms.entries("acme")] == [
        "вертушка", "агрегат", "бандура"]

    def always_behind(account_id):
        held = dict(read(account_id))
        held["version"] -= 1
        return held
    monkeypatch.setattr(kb.synonyms, "_read", always_behind)
    with pytest.raises(Conflict):
        kb.synonyms.put("acme", "шарманка", ["турникет"], ADMIN)
    monkeypatch.setattr(kb.synonyms, "_read", read)
    assert "шарманка" not in {entry["word"] for entry in kb.synonyms.entries("acme")}


def test_removing_a_missing_entry_is_not_found(kb):
    with pytest.raises(NotFound):
        kb.synonyms.remove("acme", "вертушка")
    kb.synonyms.put("globex", "вертушка", ["турникет"], ADMIN)
    with pytest.raises(NotFound):
        kb.synonyms.remove("acme", "вертушка")
    assert kb.synonyms.entries("globex")[0]["word"] == "вертушка"


@pytest.mark.parametrize("word, reason", [("два слова", "One word"), ("", "One word"),
                                          ("x" * 41, "One word"), ("наш", "stop word")])
def test_an_entry_is_one_word_that_searches_use(word, reason):
    with pytest.raises(ValidationFailed) as failed:
        synonyms.checked_word(word)
    assert reason in failed.value.fields["word"][0]


def test_words_are_kept_as_searches_read_them():
    assert synonyms.checked_word(" Ёлка ") == "елка"


def test_each_meaning_needs_a_word_to_search():
    assert synonyms.checked_meanings([" выгрузить ", "экспорт видео"]) == [
        "выгрузить", "экспорт видео"]
    with pytest.raises(ValidationFailed) as failed:
        synonyms.checked_meanings(["выгрузить", "и в на", "!!"])
    assert set(failed.value.fields) == {"means.1", "means.2"}


def test_an_account_keeps_a_bounded_dictionary(kb, monkeypatch):
    monkeypatch.setattr(synonyms, "MAX_ENTRIES", 2)
    kb.synonyms.put("acme", "вертушка", ["турникет"], ADMIN)
    kb.synonyms.put("acme", "агрегат", ["турникет"], ADMIN)
    kb.synonyms.put("acme", "агрегат", ["шлагбаум"], ADMIN)  # a replacement is no new entry
    with pytest.raises(ValidationFailed) as failed:
        kb.synonyms.put("acme", "бандура", ["турникет"], ADMIN)
    assert "word" in failed.value.fields
