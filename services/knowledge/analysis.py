"""Words to index terms: lowercase, ё as е, stop words dropped (a Russian word also when its
normal form is one: «нашей», «вашего»), Russian or English Snowball stem chosen by the word's
script; beside the stem, a Russian word's derivational family (morphology.py)."""
import re
from functools import lru_cache
from itertools import islice

import snowballstemmer

from services.knowledge import morphology

# A word is a run of letters and digits, or single letters with dots (S.M.A.R.T., т.д.), which
# `normalize` joins: «S.M.A.R.T.» is the word «smart».
WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+", re.UNICODE)
CYRILLIC = re.compile(r"[а-я]")

RUSSIAN_STOP = frozenset("""
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
его ее её если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо мне может мы на
над надо наш не него нее неё нет ни них но ну о об однако он она они оно от очень по под при с со
так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье
чья эта эти это я мой моя мое моё мои свой своя свое своё свои который которая которое которые
ваш ваша ваше ваши наша наше наши твой твоя твое твои какой какая какое какие этот тот сам
вроде пожалуйста подсказать сказать
""".split())
ENGLISH_STOP = frozenset("""
a an and are as at be but by for from has have how i if in into is it its my not of on or so that
the their then there these they this to was what when where which who why will with you your
""".split())

_russian = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")


def normalize(word):
    return word.lower().replace("ё", "е").replace(".", "")


@lru_cache(maxsize=200_000)
def stem(word):
    """The index term of one normalized word, or None for a stop word."""
    if word in RUSSIAN_STOP or word in ENGLISH_STOP:
        return None
    if CYRILLIC.search(word):
        if morphology.normal_form(word) in RUSSIAN_STOP:
            return None
        return _russian.stemWord(word)
    if word.isdigit():
        return word
    return _english.stemWord(word)


def words(text):
    """(start, end, term) of every word of `text`; term is None for stop words."""
    for match in WORD.finditer(text or ""):
        yield match.start(), match.end(), stem(normalize(match.group()))


STOP = "-"  # stands for a stop word in a term sequence: never a term (terms are letters and digits)


def term_sequence(text):
    """The index term of every word of `text` in order, STOP for stop words, space-separated:
    kept with an indexed article so that snippets need not stem its words again."""
    return " ".join(term or STOP for _, _, term in words(text))


def word_spans(text, start, count):
    """(start, end) of `count` words of `text` from its `start`-th word on: where a window of
    a `term_sequence` lies in the text, without building every word before it."""
    return [match.span() for match in islice(WORD.finditer(text or ""), start, start + count)]


def terms(text):
    """The index terms of `text`, in order, stop words left out."""
    return [term for _, _, term in words(text) if term]


def family(word):
    """The derivational family of a normalized Cyrillic word, None for others and unknown ones."""
    return morphology.family(word) if CYRILLIC.search(word) else None


def families(text):
    """{(family, term)} of the words of `text` that have a family: which index terms a family
    joins (the family's words may stem differently)."""
    found = set()
    for match in WORD.finditer(text or ""):
        word = normalize(match.group())
        term = stem(word)
        kin = term and family(word)
        if kin:
            found.add((kin, term))
    return found


def query_words(text):
    """(term, normalized word) of each non-stop word of a query, first occurrences only: the
    word itself is what a misspelling is matched on."""
    seen = {}
    for match in WORD.finditer(text or ""):
        word = normalize(match.group())
        term = stem(word)
        if term and term not in seen:
            seen[term] = word
    return list(seen.items())
