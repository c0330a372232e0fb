"""Words to index terms: lowercase, ё as е, stop words dropped, Russian or English Snowball stem
chosen by the word's script. The analysis is services/shared/text_analysis.py (the tickets
service searches its tickets with it too); here is what the knowledge index keeps besides."""
from services.shared.text_analysis import (  # noqa: F401  (this service's analysis, re-exported)
    CYRILLIC, ENGLISH_STOP, RUSSIAN_STOP, WORD, normalize, stem, terms, words)

STOP = "-"  # stands for a stop word in a term sequence: never a term (terms are letters and digits)


def term_sequence(text):
    """The index term of every word of `text` in order, STOP for stop words, space-separated:
    kept with an indexed article so that snippets need not stem its words again."""
    return " ".join(term or STOP for _, _, term in words(text))


def stored_words(text, sequence):
    """`words(text)` rebuilt from its `term_sequence`: only the word boundaries are found."""
    return [(match.start(), match.end(), None if term == STOP else term)
            for match, term in zip(WORD.finditer(text or ""), sequence.split(" "))]


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
