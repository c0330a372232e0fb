"""The synonym dictionary a search applies: the trade's built-in lexicon (colloquial.LEXICON) as
the default layer, and over it the entries an account's admin keeps (store/synonyms.py).

An entry maps one word as clients type it to the words articles use for it. Words are matched by
their index term (the stem) or their derivational family, so an entry covers every form of its
word: «скинуть» also matches «скинул», «скиньте». An account's entry for a word replaces the built-in one for that word; an
entry with no words switches the built-in one off for that account. Nothing an account keeps is
seen by another account's searches: each search is given its own account's `Lexicon`.
"""
from services.knowledge.analysis import WORD, family, normalize, stem, terms
from services.knowledge.colloquial import LEXICON
from services.shared.errors import NotFound, ValidationFailed

SYNONYM_FACTOR = 0.9  # a formal word counts almost as much as the word the client typed
MAX_ENTRIES = 2000    # per account: the dictionary is read whole by every replica
MAX_MEANINGS = 10


def word_term(word):
    """The index term an entry's word is matched by, or None (a stop word: never matched)."""
    return stem(normalize(word))


class Lexicon:
    """Query word -> the index terms the trade writes for it, found by the word's index term or,
    for another form of a verb that Snowball stems apart («скинул», «скинуть»), by its family."""
    factor = SYNONYM_FACTOR

    def __init__(self, entries=(), base=None):
        """`entries`: (word, [meanings]) pairs laid over `base` (itself a Lexicon) or, without
        one, taken as they are."""
        self.by_term = dict(base.by_term) if base is not None else {}
        self.by_family = dict(base.by_family) if base is not None else {}
        layer = {}
        for word, meanings in entries:
            key = word_term(word)
            if key:
                found = layer.setdefault((key, family(normalize(word))), set())
                for meaning in meanings:
                    found.update(terms(meaning))
        for (key, kin), found in layer.items():
            self.by_term[key] = frozenset(found - {key})
            if kin:
                self.by_family[kin] = self.by_term[key]
        self.by_term = {key: found for key, found in self.by_term.items() if found}
        self.by_family = {kin: found for kin, found in self.by_family.items() if found}

    def formal_terms(self, term, word=None):
        found = self.by_term.get(term)
        if found is None and word:
            found = self.by_family.get(family(word))
        return found or frozenset()


BUILT_IN = Lexicon((word, [formal]) for word, formal in LEXICON.items())


def checked_word(word):
    """The entry key of `word` as typed (lower case, ё as е), or ValidationFailed naming `word`:
    an entry is one word, and a stop word is never searched for."""
    word = normalize(str(word).strip())
    if not (0 < len(word) <= 40 and WORD.fullmatch(word)):
        raise ValidationFailed.from_fields(
            {"word": ["One word of letters and digits, at most 40 characters."]})
    if not word_term(word):
        raise ValidationFailed.from_fields({"word": ["A stop word: searches leave it out."]})
    return word


def checked_meanings(means):
    """`means` with blanks trimmed, or ValidationFailed naming each one with no word to search."""
    means = [meaning.strip() for meaning in means]
    empty = {f"means.{at}": ["Has no word a search can match."]
             for at, meaning in enumerate(means) if not terms(meaning)}
    if empty:
        raise ValidationFailed.from_fields(empty)
    return means


def effective(entries, word):
    """The entry a search applies for `word`: the account's own (`entries`), else the built-in
    one; NotFound when neither has it."""
    for entry in entries:
        if entry["word"] == word:
            return dict(entry, source="account")
    if word in LEXICON:
        return {"word": word, "means": [LEXICON[word]], "source": "built_in",
                "updated_at": None, "updated_by": None}
    raise NotFound(f"No synonym entry for {word!r}.")


def for_account(entries):
    """The lexicon of an account whose own entries are `entries` ([{word, means}])."""
    if not entries:
        return BUILT_IN
    return Lexicon(((entry["word"], entry["means"]) for entry in entries), base=BUILT_IN)
