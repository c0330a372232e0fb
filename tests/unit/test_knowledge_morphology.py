"""Lemmas beside stems: derivational families from pymorphy3, possessive pronouns as stop words,
and the typo policy (only words the index does not know; short words strictly)."""
import datetime

from services.knowledge import morphology
from services.knowledge.analysis import families, stem, terms
from services.knowledge.index_documents import index_document
from services.knowledge.memory_index import MemoryIndex
from services.knowledge.synonyms import BUILT_IN, Lexicon
from services.knowledge.typos import closest_terms

WHEN = datetime.datetime(2026, 12, 1, 12, 0)


def index_of(*articles):
    memory = MemoryIndex()
    for number, (title, body) in enumerate(articles):
        memory.put(f"a{number}", index_document({
            "_id": f"a{number}", "account_id": "acme", "version": 1, "state": "published",
            "title": title, "body": body, "tags": [], "visibility": "all_clients",
            "updated_at": WHEN}))
    return memory


def titles(memory, query, lexicon=BUILT_IN):
    return [entry.title for _, _, _, entry in memory.search(query, lambda entry: True, 10, lexicon)]


def test_a_noun_made_from_a_verb_shares_the_verbs_family():
    assert stem("замена") != stem("заменить")  # Snowball alone does not join them
    assert morphology.family("замена") == morphology.family("заменили") == morphology.family(
        "заменить") == morphology.family("заменённый")
    assert morphology.family("отключение") == morphology.family("отключить")
    assert morphology.family("стоимость") == morphology.family("стоит")
    assert morphology.family("закрепление") == morphology.family("закрепить")


def test_words_the_dictionary_does_not_know_have_no_family():
    assert morphology.family("турникит") is None
    assert morphology.family("hikvision") is None


def test_families_name_the_index_terms_of_a_text():
    assert (morphology.family("заменить"), stem("заменить")) in families("Как заменить ФН")


def test_a_query_finds_an_article_written_with_another_word_of_the_family():
    memory = index_of(("Как заменить фискальный накопитель", "Порядок работ."),
                      ("Касса не печатает чек", "Проверьте бумагу."))
    assert titles(memory, "замена") == ["Как заменить фискальный накопитель"]
    assert titles(memory, "отключение камер") == []


def test_a_family_counts_once_per_query_word():
    """An article holding both «замена» and «заменить» scores the better of the two for the query
    word «замена», not their sum (a disjunction, as for synonyms and typos)."""
    memory = index_of(("Замена диска", "Замена диска. Заменить диск просто."),
                      ("Диск", "Поставить новый."))
    (group,) = memory.expand([(stem("замена"), "замена")])
    assert set(group) == {stem("замена"), stem("заменить")}
    alone = {}
    for term, factor in group.items():
        scores = {}
        memory._add(scores, {term: factor})
        alone[term] = scores[0]
    together = {}
    memory._add(together, group)
    assert together[0] == max(alone.values()) < sum(alone.values())


def test_possessive_pronouns_are_stop_words():
    assert terms("наш ваш нашей вашего ваши их мой") == []
    assert terms("Наш роутер") == [stem("роутер")]


def test_a_word_the_index_knows_is_never_read_as_a_typo():
    memory = index_of(("Пароль роутера", "Сменить пароль."), ("Порог двери", "Регулировка."))
    assert titles(memory, "порог") == ["Порог двери"]
    assert titles(memory, "пороль")[0] == "Пароль роутера"  # not in the index: corrected


def test_short_words_are_corrected_by_one_substitution_or_swap_keeping_their_start():
    assert closest_terms("ипб", {"ибп": 3}, word="ипб") == ["ибп"]
    assert closest_terms("офт", {"офд": 3}, word="офт") == ["офд"]
    assert closest_terms("vnp", {"vpn": 1}, word="vnp") == ["vpn"]
    assert closest_terms("нсд", {"сдн": 3, "ндс": 1}, word="нсд") == ["ндс"]  # first letter kept
    assert closest_terms("ибп", {"ибпс": 3}, word="ибп") == []   # no insertion
    assert closest_terms("туг", {"туд": 3}, word="туго") == []   # another length
    assert closest_terms("фн", {"фм": 3}, word="фн") == []       # two letters: never


def test_short_typos_find_their_article():
    memory = index_of(("ИБП для роутера", "Источник бесперебойного питания."),
                      ("Смена ставки НДС", "Перенастройка кассы."))
    assert titles(memory, "ипб для роутера")[0] == "ИБП для роутера"
    assert titles(memory, "ставка нсд") == ["Смена ставки НДС"]


def test_an_accounts_lexicon_is_applied_at_query_time():
    memory = index_of(("Как выгрузить видеозапись", "Экспорт на флешку."))
    assert titles(memory, "закинуть") == []
    own = Lexicon([("закинуть", ["выгрузить"])], base=BUILT_IN)
    assert titles(memory, "закинуть", own) == ["Как выгрузить видеозапись"]
    assert titles(memory, "закинуть") == []  # the built-in lexicon did not change
