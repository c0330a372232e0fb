"""Normal forms and derivational families of Russian words, from pymorphy3's dictionary.

Snowball cuts endings by rule, so it joins the inflected forms of one word but not the words
made from each other: «замена» stems to «зам», «заменить» to «замен»; «отключение» to «отключен»,
«отключить» to «отключ». The dictionary knows each word's normal form (a verb's participles and
gerunds have the infinitive as theirs), and a family is that normal form without the suffix that
makes a noun of a verb or the verb's own ending: «замена», «заменить», «заменили», «заменённый»
all give «замен»; «отключение», «отключить», «отключив» give «отключ»; «стоимость» and «стоит»
give «сто»; the consonants that alternate between them are read as one («закрепление» and
«закрепить» give «закреп»). Only words the dictionary knows get a family: a misspelt word or a brand has none
(pymorphy3 would guess a normal form for it, which joins nothing it should).
"""
from functools import lru_cache

import pymorphy3

VERB_PARTS = frozenset({"INFN", "VERB", "PRTF", "PRTS", "GRND"})
VERB_ENDINGS = ("ировать", "овать", "евать", "ывать", "ивать", "ать", "ять", "еть", "ить",
                "уть", "ыть", "оть", "ти")
NOUN_ENDINGS = ("ирование", "ование", "имость", "ение", "ание", "яние", "тие", "ость", "ка",
                "ие", "ия", "а", "я", "о", "е", "ь", "й")
SHORTEST_FAMILY = 3
# Consonants that alternate where a noun or another aspect is made of a verb: «закрепить» /
# «закрепление» / «закреплять», «перезагрузить» / «перезагружать», «очистить» / «очищать».
ALTERNATIONS = (("пл", "п"), ("бл", "б"), ("вл", "в"), ("мл", "м"), ("фл", "ф"), ("жд", "д"),
                ("щ", "ст"), ("ж", "з"), ("ч", "т"), ("ш", "с"))


@lru_cache(maxsize=1)
def analyzer():
    """One analyzer per process (its dictionary takes about 15 MB and half a second to load)."""
    return pymorphy3.MorphAnalyzer(lang="ru")


def _without(word, endings):
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= SHORTEST_FAMILY:
            return _unalternated(word[:-len(ending)])
    return word


def _unalternated(base):
    for alternate, plain in ALTERNATIONS:
        if base.endswith(alternate):
            return base[:-len(alternate)] + plain
    return base


@lru_cache(maxsize=200_000)
def parse(word):
    """(normal form, family) of a lower-case Cyrillic word the dictionary knows, else None."""
    morph = analyzer()
    if not morph.word_is_known(word):
        return None
    best = morph.parse(word)[0]
    normal = best.normal_form.replace("ё", "е")
    part = best.tag.POS
    if part in VERB_PARTS:
        base = normal[:-2] if normal.endswith(("ся", "сь")) else normal
        return normal, _without(base, VERB_ENDINGS)
    if part == "NOUN":
        return normal, _without(normal, NOUN_ENDINGS)
    return normal, normal


def normal_form(word):
    found = parse(word)
    return found[0] if found else None


def family(word):
    found = parse(word)
    return found[1] if found else None
