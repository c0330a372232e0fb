"""One account's search index in a process's memory, and query evaluation over it.

Plain data, no store: `store.search_index.SearchIndex` fills it from the database and keeps it current.
Postings map each term to the articles holding it with the term's count per field; an article's
entry keeps what filters and snippets need (title, plain text, section, tags, audience), so a
search reads nothing from the database but one small document (see store/search_index.py).
"""
import heapq
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from services.knowledge import colloquial, ranking
from services.knowledge.analysis import query_words
from services.knowledge.typos import closest_terms

MAX_QUERY_TERMS = 32
FUZZY_DISCOUNT = 0.7  # a substitute for a misspelt word counts for less than the word itself
KEY_LETTERS = 4       # a misspelt word is compared only with terms whose start is one edit away
EPOCH_DRIFT = 0.02
PRIMED_FREQUENCY = 50  # articles holding a term from which its gains are computed at load
CANDIDATES = 4        # best-scored articles per wanted hit checked against the actor's filter


def encode_counts(counts):
    """{term: [title, tags, body counts]} as one string ("term:1.0.2 ..."): an index document
    is read back as a few strings instead of hundreds of small lists, which makes loading an
    account's index several times faster (terms hold only letters and digits)."""
    return " ".join(f"{term}:{title}.{tags}.{body}" for term, (title, tags, body) in counts.items())


def decode_counts(text):
    found = {}
    for item in text.split():
        term, _, counts = item.partition(":")
        found[term] = tuple(int(count) for count in counts.split("."))
    return found


def spelling_keys(term):
    """The term's first letters and what is left of them with one letter deleted: two words
    one substitution, insertion, deletion or swap apart within their start share a key (the
    deletion neighbourhood of SymSpell, over the start only, so buckets stay small)."""
    start = term[:KEY_LETTERS + 1]
    keys = {term[:KEY_LETTERS]}
    keys.update((start[:i] + start[i + 1:])[:KEY_LETTERS] for i in range(len(start)))
    return keys


@dataclass(frozen=True)
class Entry:
    """What the index keeps of one published article besides its postings."""
    version: int
    title: str
    text: str
    sequence: str
    section_id: str
    tags: tuple
    tag_keys: frozenset
    visibility: str
    client_categories: frozenset
    service_levels: frozenset
    lengths: dict
    terms: tuple

    @classmethod
    def from_document(cls, doc, terms):
        return cls(version=doc["version"], title=doc["title"], text=doc["text"],
                   sequence=doc["sequence"],
                   section_id=doc.get("section_id"), tags=tuple(doc.get("tags", ())),
                   tag_keys=frozenset(tag.lower() for tag in doc.get("tags", ())),
                   visibility=doc["visibility"],
                   client_categories=frozenset(doc.get("client_categories", ())),
                   service_levels=frozenset(doc.get("service_levels", ())),
                   lengths=doc["lengths"], terms=terms)


class MemoryIndex:
    def __init__(self):
        self.entries = {}
        self.postings = defaultdict(dict)
        self.by_key = defaultdict(set)
        self.totals = dict.fromkeys(ranking.FIELDS, 0)
        self.epoch_averages, self.gains = None, {}

    def __len__(self):
        return len(self.entries)

    def put(self, article_id, doc):
        """Index the article as `doc` (an index document) describes it, replacing what was there;
        an older version than the one held changes nothing (a late reader of a racing write)."""
        held = self.entries.get(article_id)
        if held is not None and held.version > doc["version"]:
            return
        self.drop(article_id)
        if not doc.get("searchable"):
            return
        counts_by_term = decode_counts(doc["tf"])
        entry = Entry.from_document(doc, tuple(counts_by_term))
        self.entries[article_id] = entry
        for term, counts in counts_by_term.items():
            if term not in self.postings:
                for key in spelling_keys(term):
                    self.by_key[key].add(term)
            self.postings[term][article_id] = counts
            cached = self.gains.get(term)
            if cached is not None:
                cached[article_id] = self._gain(counts, entry.lengths, self.epoch_averages)
        for name in ranking.FIELDS:
            self.totals[name] += entry.lengths[name]

    def drop(self, article_id):
        entry = self.entries.pop(article_id, None)
        if entry is None:
            return
        for term in entry.terms:
            holders = self.postings[term]
            holders.pop(article_id, None)
            self.gains.get(term, {}).pop(article_id, None)
            if not holders:
                del self.postings[term]
                self.gains.pop(term, None)
                for key in spelling_keys(term):
                    self.by_key[key].discard(term)
        for name in ranking.FIELDS:
            self.totals[name] -= entry.lengths[name]

    def frequency(self, term):
        holders = self.postings.get(term)
        return len(holders) if holders else 0

    def spellings(self, term, word):
        """Index terms close to `term` (typed as `word`), nearest first."""
        if len(term) < 4:
            return []
        vocabulary = {found: self.frequency(found) for key in spelling_keys(term)
                      for found in self.by_key.get(key, ())}
        return closest_terms(term, vocabulary, word)

    def expand(self, pairs):
        """{index term: weight factor} for the query's (term, word) pairs: the term itself if
        the index knows it, the trade's formal words for a colloquial one, and for a word found
        neither way its close spellings, as typed or written in the other script."""
        factors = {}
        for term, word in pairs:
            found = {term: 1.0} if self.frequency(term) else {}
            for formal in colloquial.formal_terms(term):
                if self.frequency(formal):
                    found.setdefault(formal, colloquial.SYNONYM_FACTOR)
            for other_term, other_word in ([] if found else colloquial.transliterations(word)):
                if self.frequency(other_term):
                    found.setdefault(other_term, FUZZY_DISCOUNT)
            for typed_term, typed_word in ([] if found else
                                           [(term, word)] + colloquial.transliterations(word)):
                for near in self.spellings(typed_term, typed_word):
                    found.setdefault(near, FUZZY_DISCOUNT)
            for found_term, factor in found.items():
                factors[found_term] = max(factors.get(found_term, 0.0), factor)
        return factors

    def _averages(self):
        """Average field lengths as of the gains' epoch: a new epoch (and fresh gains) once
        they drift more than EPOCH_DRIFT from it; below that the length normalization changes by
        too little to move a ranking, and every search would otherwise recompute every gain."""
        documents = len(self.entries)
        now = {name: self.totals[name] / documents for name in ranking.FIELDS}
        held = self.epoch_averages
        if held is None or any(abs(now[name] - held[name]) > EPOCH_DRIFT * max(held[name], 1.0)
                               for name in ranking.FIELDS):
            self.epoch_averages, self.gains = now, {}
        return self.epoch_averages

    @staticmethod
    def _gain(counts, lengths, averages):
        return ranking.saturate(ranking.term_weight(dict(zip(ranking.FIELDS, counts)), lengths,
                                                    averages))

    def _gains(self, term, averages):
        """{article id: the term's saturated BM25F gain in it before idf}, computed once per
        epoch and kept in step as articles come and go (put, drop)."""
        found = self.gains.get(term)
        if found is None:
            entries = self.entries
            found = self.gains[term] = {
                article_id: self._gain(counts, entries[article_id].lengths, averages)
                for article_id, counts in self.postings[term].items()}
        return found

    def prime(self):
        """Compute the gains of the common terms now (after loading an account), so that no
        client's search pays for the first use of a common word; a rare one costs little."""
        if self.entries:
            averages = self._averages()
            for term, holders in list(self.postings.items()):
                if len(holders) >= PRIMED_FREQUENCY:
                    self._gains(term, averages)

    def search(self, text, allowed, limit):
        """[(article_id, score, matched terms, entry)] of the best `limit` articles for the query
        `text` among those `allowed(entry)` admits, best first, ties by id among the best."""
        factors = self.expand(query_words(text)[:MAX_QUERY_TERMS])
        if not factors or not self.entries:
            return []
        documents = len(self.entries)
        averages = self._averages()
        scores = {}
        for term, factor in factors.items():
            idf = ranking.idf(self.frequency(term), documents) * factor
            for article_id, gain in self._gains(term, averages).items():
                scores[article_id] = scores.get(article_id, 0.0) + idf * gain
        hits = self._admitted(self._best(scores, CANDIDATES * limit), allowed, limit)
        if len(hits) < limit < len(scores):  # a narrow filter: look past the best candidates
            hits = self._admitted(self._best(scores, len(scores)), allowed, limit)
        return [(article_id, score, sorted(term for term in factors
                                            if article_id in self.postings[term]), entry)
                for article_id, score, entry in hits]

    @staticmethod
    def _best(scores, count):
        best = heapq.nlargest(count, scores.items(), key=itemgetter(1))
        return sorted(best, key=lambda item: (-item[1], item[0]))

    def _admitted(self, ranked, allowed, limit):
        hits = []
        for article_id, score in ranked:
            entry = self.entries[article_id]
            if allowed(entry):
                hits.append((article_id, score, entry))
                if len(hits) == limit:
                    break
        return hits
