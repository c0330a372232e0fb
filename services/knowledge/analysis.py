"""Words to index terms for the knowledge base: the shared analysis (services/shared/
text_analysis.py: lowercase, ё as е, stop words dropped, Russian or English Snowball stem chosen by
the word's script), where a Russian word is also a stop word when its normal form is one («нашей»,
«вашего»); beside the stem, a Russian word's derivational family (morphology.py)."""
from functools import lru_cache
from itertools import islice

from services.knowledge import morphology
from services.shared import text_analysis as shared
from services.shared.text_analysis import (  # noqa: F401  (this service's analysis, re-exported)
    CYRILLIC, ENGLISH_STOP, RUSSIAN_STOP, WORD, normalize)

STOP = "-"  # stands for a stop word in a term sequence: never a term (terms are letters and digits)


@lru_cache(maxsize=200_000)
def stem(word):
    """The index term of one normalized word, or None for a stop word."""
    if CYRILLIC.search(word) and morphology.normal_form(word) in RUSSIAN_STOP:
        return None
    return shared.stem(word)


def words(text):
    """(start, end, term) of every word of `text`; term is None for stop words."""
    return shared.words(text, stem)


def terms(text):
    """The index terms of `text`, in order, stop words left out."""
    return shared.terms(text, stem)


def term_sequence(text):
    """The index term of every word of `text` in order, STOP for stop words, space-separated:
    kept with an indexed article so that snippets need not stem its words again."""
    return " ".join(term or STOP for _, _, term in words(text))


def word_spans(text, start, count):
    """(start, end) of `count` words of `text` from its `start`-th word on: where a window of
    a `term_sequence` lies in the text, without building every word before it."""
    return [match.span() for match in islice(WORD.finditer(text or ""), start, start + count)]


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
