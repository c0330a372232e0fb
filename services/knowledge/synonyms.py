"""The synonym dictionary a search applies: the trade's built-in lexicon (colloquial.LEXICON) as
the default layer, and over it the entries an account's admin keeps (store/synonyms.py).

An entry maps one word as clients type it to the words articles use for it. Words are matched by
their index term (the stem), so an entry covers every form of its word: «скинуть» also matches
«скинул», «скиньте». An account's entry for a word replaces the built-in one for that word; an
entry with no words switches the built-in one off for that account. Nothing an account keeps is
seen by another account's searches: each search is given its own account's `Lexicon`.
"""
from services.knowledge.analysis import normalize, stem, terms
from services.knowledge.colloquial import LEXICON

SYNONYM_FACTOR = 0.9  # a formal word counts almost as much as the word the client typed
MAX_ENTRIES = 2000    # per account: the dictionary is read whole by every replica
MAX_MEANINGS = 10


def word_term(word):
    """The index term an entry's word is matched by, or None (a stop word: never matched)."""
    return stem(normalize(word))


class Lexicon:
    """Query term -> the index terms the trade writes for it."""
    factor = SYNONYM_FACTOR

    def __init__(self, entries=(), base=None):
        """`entries`: (word, [meanings]) pairs laid over `base` (itself a Lexicon) or, without
        one, taken as they are."""
        by_term = dict(base.by_term) if base is not None else {}
        layer = {}
        for word, meanings in entries:
            key = word_term(word)
            if key:
                found = layer.setdefault(key, set())
                for meaning in meanings:
                    found.update(terms(meaning))
        for key, found in layer.items():
            by_term[key] = frozenset(found - {key})
        self.by_term = {key: found for key, found in by_term.items() if found}

    def formal_terms(self, term):
        return self.by_term.get(term, frozenset())


BUILT_IN = Lexicon((word, [formal]) for word, formal in LEXICON.items())


def for_account(entries):
    """The lexicon of an account whose own entries are `entries` ([{word, means}])."""
    if not entries:
        return BUILT_IN
    return Lexicon(((entry["word"], entry["means"]) for entry in entries), base=BUILT_IN)
