"""Words to index terms, and the typo fallback's distance."""
from services.knowledge.analysis import query_words, stem, terms, words
from services.knowledge.typos import closest_terms, edit_distance


def test_russian_word_forms_share_one_term():
    assert len({stem(w) for w in ("турникет", "турникета", "турникеты", "турникетом")}) == 1
    assert stem("камеры") == stem("камерой") == stem("камер")
    assert terms("Принтер не печатает") == terms("принтеры не печатают")


def test_english_word_forms_share_one_term():
    assert terms("Printing printers") == terms("print printer")
    assert stem("cameras") == stem("camera")


def test_yo_is_e_and_case_is_ignored():
    assert terms("ЖЁСТКИЙ диск") == terms("жесткий Диск")


def test_stop_words_are_dropped_and_digits_kept():
    assert terms("как и что в the of") == []
    assert terms("диск 4 ТБ") == [stem("диск"), "4", stem("тб")]


def test_mixed_script_text_keeps_positions_of_every_word():
    text = "Камера Hikvision: нет видео"
    found = list(words(text))
    assert [text[start:end] for start, end, _ in found] == ["Камера", "Hikvision", "нет", "видео"]
    assert found[2][2] is None  # "нет" is a stop word


def test_edit_distance_counts_a_swap_of_neighbours_once():
    assert edit_distance("турникит", "турникет", 2) == 1
    assert edit_distance("принетр", "принтер", 2) == 1
    assert edit_distance("камера", "турникет", 2) == 3


def test_closest_terms_prefer_the_nearest_then_the_most_frequent():
    vocabulary = {"турникет": 10, "турник": 1, "тумблер": 5}
    assert closest_terms("турникит", vocabulary) == ["турникет", "турник"]
    assert closest_terms("турникет", {"турникат": 1, "турникот": 9}) == ["турникот", "турникат"]
    assert closest_terms("турникит", {"камера": 3}) == []


def test_a_misspelt_word_matches_on_its_typed_start_not_on_short_stems():
    assert closest_terms("турник", {"турникет": 3}, word="турникит") == ["турникет"]
    assert closest_terms("турник", {"тур": 5}, word="турникит") == []


def test_query_words_pair_each_term_with_the_word_as_typed():
    assert query_words("Турникит и ТУРНИКИТ не пускают") == [
        (stem("турникит"), "турникит"), (stem("пускают"), "пускают")]
