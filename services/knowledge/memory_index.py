"""One account's search index in a process's memory, and query evaluation over it.

Plain data, no store: `store.search_index.SearchIndex` fills it from the database and keeps it current.
Each article gets a slot number; a term's postings are two typed arrays (the slots holding it and
their per-field counts packed in one integer) and, once a search used the term, a third with its
saturated BM25F gain per slot. An article's entry keeps what filters, tie-breaks and snippets
need, its text compressed. That is about a tenth of the memory dictionaries of tuples took
(docs/performance.md), and a search still reads nothing from the database but one small
document (see store/search_index.py).
"""
import heapq
import math
import sys
import zlib
from array import array
from collections import defaultdict
from dataclasses import dataclass

from services.knowledge import colloquial, ranking
from services.knowledge.analysis import family, query_words
from services.knowledge.synonyms import BUILT_IN
from services.knowledge.typos import closest_terms

MAX_QUERY_TERMS = 32
FUZZY_DISCOUNT = 0.7   # a substitute for a misspelt word counts for less than the word itself
FAMILY_FACTOR = 0.8    # a word of the same family («заменить» for «замена») a little less too
KEY_LETTERS = 4        # a misspelt word is compared only with terms whose start is one edit away
EPOCH_STEP = 1.02      # average field lengths are taken on a 2 % grid (see _averages)
PRIMED_FREQUENCY = 50  # articles holding a term from which its gains are computed at load
CANDIDATES = 4         # best-scored articles per wanted hit checked against the actor's filter
TITLE_BONUS = 0.2      # the best articles' scores grow by this share of the query's words in the title
RERANKED = 50          # how many of the best get that bonus
COUNT_BITS = 10        # each field's count of a term in an article, packed (capped at 1023)
COUNT_CAP = (1 << COUNT_BITS) - 1


def encode_counts(counts):
    """{term: [title, tags, body counts]} as one string ("term:1.0.2 ..."): an index document
    is read back as a few strings instead of hundreds of small lists, which makes loading an
    account's index several times faster (terms hold only letters and digits)."""
    return " ".join(f"{term}:{title}.{tags}.{body}" for term, (title, tags, body) in counts.items())


def decode_counts(text):
    found = {}
    for item in text.split():
        term, _, counts = item.partition(":")
        found[sys.intern(term)] = tuple(int(count) for count in counts.split("."))
    return found


def encode_families(pairs):
    """{(family, term)} as one string ("family:term ..."), as `encode_counts`."""
    return " ".join(f"{kin}:{term}" for kin, term in sorted(pairs))


def decode_families(text):
    return [tuple(item.partition(":")[::2]) for item in (text or "").split()]


def pack(counts):
    title, tags, body = (min(count, COUNT_CAP) for count in counts)
    return (title << 2 * COUNT_BITS) | (tags << COUNT_BITS) | body


def unpack(packed):
    return (packed >> 2 * COUNT_BITS, (packed >> COUNT_BITS) & COUNT_CAP, packed & COUNT_CAP)


def spelling_keys(term):
    """The term's first letters and what is left of them with one letter deleted: two words
    one substitution, insertion, deletion or swap apart within their start share a key (the
    deletion neighbourhood of SymSpell, over the start only, so buckets stay small)."""
    start = term[:KEY_LETTERS + 1]
    keys = {term[:KEY_LETTERS]}
    keys.update((start[:i] + start[i + 1:])[:KEY_LETTERS] for i in range(len(start)))
    return keys


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index keeps of one published article besides its postings."""
    article_id: str
    slot: int
    version: int
    title: str
    packed_text: bytes
    packed_sequence: bytes
    section_id: str
    tags: tuple
    tag_keys: frozenset
    visibility: str
    client_categories: frozenset
    service_levels: frozenset
    lengths: dict
    terms: tuple
    title_terms: frozenset
    recency: float

    @classmethod
    def from_document(cls, article_id, slot, doc, counts_by_term):
        updated = doc.get("updated_at")
        return cls(article_id=article_id, slot=slot, version=doc["version"], title=doc["title"],
                   packed_text=zlib.compress(doc["text"].encode()),
                   packed_sequence=zlib.compress(doc["sequence"].encode()),
                   section_id=doc.get("section_id"), tags=tuple(doc.get("tags", ())),
                   tag_keys=frozenset(tag.lower() for tag in doc.get("tags", ())),
                   visibility=doc["visibility"],
                   client_categories=frozenset(doc.get("client_categories", ())),
                   service_levels=frozenset(doc.get("service_levels", ())),
                   lengths=doc["lengths"], terms=tuple(counts_by_term),
                   title_terms=frozenset(term for term, counts in counts_by_term.items()
                                         if counts[0]),
                   recency=updated.timestamp() if updated is not None else 0.0)

    @property
    def text(self):
        return zlib.decompress(self.packed_text).decode()

    @property
    def sequence(self):
        return zlib.decompress(self.packed_sequence).decode()


class Postings:
    """The slots holding one term, their packed counts and, once computed, their gains."""
    __slots__ = ("slots", "counts", "gains")

    def __init__(self):
        self.slots, self.counts, self.gains = array("i"), array("I"), None

    def __len__(self):
        return len(self.slots)


class MemoryIndex:
    def __init__(self):
        self.entries = {}
        self.by_slot = []
        self.free_slots = []
        self.postings = {}
        self.by_key = defaultdict(set)
        self.families = defaultdict(set)
        self.totals = dict.fromkeys(ranking.FIELDS, 0)
        self.epoch_averages = None

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
        slot = self.free_slots.pop() if self.free_slots else len(self.by_slot)
        entry = Entry.from_document(article_id, slot, doc, counts_by_term)
        if slot == len(self.by_slot):
            self.by_slot.append(entry)
        else:
            self.by_slot[slot] = entry
        self.entries[article_id] = entry
        for kin, term in decode_families(doc.get("families")):
            self.families[sys.intern(kin)].add(sys.intern(term))
        for term, counts in counts_by_term.items():
            postings = self.postings.get(term)
            if postings is None:
                postings = self.postings[term] = Postings()
                for key in spelling_keys(term):
                    self.by_key[key].add(term)
            postings.slots.append(slot)
            postings.counts.append(pack(counts))
            if postings.gains is not None:
                postings.gains.append(self._gain(counts, entry.lengths, self.epoch_averages))
        for name in ranking.FIELDS:
            self.totals[name] += entry.lengths[name]

    def drop(self, article_id):
        entry = self.entries.pop(article_id, None)
        if entry is None:
            return
        for term in entry.terms:
            postings = self.postings[term]
            at = postings.slots.index(entry.slot)
            del postings.slots[at], postings.counts[at]
            if postings.gains is not None:
                del postings.gains[at]
            if not postings:
                del self.postings[term]
                for key in spelling_keys(term):
                    self.by_key[key].discard(term)
        # Families are not counted per article: a family left without articles names terms
        # no longer indexed, which `expand` skips.
        self.by_slot[entry.slot] = None
        self.free_slots.append(entry.slot)
        for name in ranking.FIELDS:
            self.totals[name] -= entry.lengths[name]

    def frequency(self, term):
        postings = self.postings.get(term)
        return len(postings) if postings else 0

    def holders(self, term):
        """{article id: (title, tags, body) counts} of the articles holding `term`."""
        postings = self.postings.get(term)
        if postings is None:
            return {}
        return {self.by_slot[slot].article_id: unpack(packed)
                for slot, packed in zip(postings.slots, postings.counts)}

    def primed(self):
        """The terms whose gains are held (computed at load or by a search)."""
        return {term for term, postings in self.postings.items() if postings.gains is not None}

    def spellings(self, term, word):
        """Index terms close to `term` (typed as `word`), nearest first."""
        vocabulary = {found: self.frequency(found) for key in spelling_keys(term)
                      for found in self.by_key.get(key, ())}
        return closest_terms(term, vocabulary, word)

    def known(self, term, word):
        """{index term: factor} of the word itself and of the index's words of its family."""
        found = {term: 1.0} if self.frequency(term) else {}
        kin = family(word)
        for relative in sorted(self.families.get(kin, ())) if kin else ():
            if self.frequency(relative):
                found.setdefault(relative, FAMILY_FACTOR)
        return found

    def expand(self, pairs, lexicon=BUILT_IN):
        """One {index term: weight factor} per query word, for the query's (term, word) pairs:
        the term itself and its family if the index knows them, the lexicon's formal words for a
        colloquial one, the word written in the other script, and only for a word in none of the
        index's vocabulary (its term is no index term, the lexicon and the other script give none)
        its close spellings, as typed or written in the other script: a word the articles use is
        never read as a typo of another. A term counts once, for the first word that reaches it."""
        groups, used = [], set()
        for term, word in pairs:
            found = self.known(term, word)
            direct = term in found
            for formal in lexicon.formal_terms(term, word):
                if self.frequency(formal):
                    found.setdefault(formal, lexicon.factor)
                    direct = True
            for other_term, _ in ([] if direct else colloquial.transliterations(word)):
                if self.frequency(other_term):
                    found.setdefault(other_term, FUZZY_DISCOUNT)
                    direct = True
            for typed_term, typed_word in ([] if direct else
                                           [(term, word)] + colloquial.transliterations(word)):
                for near in self.spellings(typed_term, typed_word):
                    found.setdefault(near, FUZZY_DISCOUNT)
            found = {found_term: factor for found_term, factor in found.items()
                     if found_term not in used}
            if found:
                used.update(found)
                groups.append(found)
        return groups

    def _averages(self):
        """Average field lengths on a 2 % grid: the gains are recomputed only when an average
        moves to another step (below that the length normalization changes by too little to
        move a ranking, and every search would otherwise recompute every gain), and two indexes
        of the same articles, filled in any order, use the same averages and so give the same
        scores."""
        documents = len(self.entries)
        now = {name: EPOCH_STEP ** round(math.log(max(self.totals[name] / documents, 1.0),
                                                  EPOCH_STEP))
               for name in ranking.FIELDS}
        if now != self.epoch_averages:
            self.epoch_averages = now
            for postings in self.postings.values():
                postings.gains = None
        return self.epoch_averages

    @staticmethod
    def _gain(counts, lengths, averages):
        return ranking.saturate(ranking.term_weight(dict(zip(ranking.FIELDS, counts)), lengths,
                                                    averages))

    def _gains(self, postings, averages):
        """The term's saturated BM25F gain before idf, per slot of `postings.slots`: computed
        once per epoch and kept in step as articles come and go (put, drop)."""
        if postings.gains is None:
            by_slot = self.by_slot
            postings.gains = array("d", (
                self._gain(unpack(packed), by_slot[slot].lengths, averages)
                for slot, packed in zip(postings.slots, postings.counts)))
        return postings.gains

    def prime(self):
        """Compute the gains of the common terms now (after loading an account), so that no
        client's search pays for the first use of a common word; a rare one costs little."""
        if self.entries:
            averages = self._averages()
            for postings in self.postings.values():
                if len(postings) >= PRIMED_FREQUENCY:
                    self._gains(postings, averages)

    def search(self, text, allowed, limit, lexicon=BUILT_IN):
        """[(article_id, score, matched terms, entry)] of the best `limit` articles for the query
        `text` among those `allowed(entry)` admits, best first; equal scores are ordered by the
        query terms in the title, then the newest change, then the title and the id."""
        groups = self.expand(query_words(text)[:MAX_QUERY_TERMS], lexicon)
        if not groups or not self.entries:
            return []
        scores = {}
        for group in groups:
            self._add(scores, group)
        wanted = frozenset().union(*groups)
        self._title_bonus(scores, groups, wanted)
        hits = self._admitted(self._best(scores, CANDIDATES * limit, wanted), allowed, limit)
        if len(hits) < limit < len(scores):  # a narrow filter: look past the best candidates
            hits = self._admitted(self._best(scores, len(scores), wanted), allowed, limit)
        return [(entry.article_id, score, sorted(wanted.intersection(entry.terms)), entry)
                for entry, score in hits]

    def _add(self, scores, group):
        """Add one query word's score to `scores` (slot -> score): the best of its terms in
        each article (a disjunction, not a sum: an article holding both «замена» and «заменить»
        is not ahead of one holding either)."""
        documents, averages = len(self.entries), self._averages()
        if len(group) == 1:
            word_scores = scores
        else:
            word_scores = {}
        for term, factor in group.items():
            postings = self.postings[term]
            weight = ranking.idf(len(postings), documents) * factor
            if word_scores is scores:
                for slot, gain in zip(postings.slots, self._gains(postings, averages)):
                    scores[slot] = scores.get(slot, 0.0) + weight * gain
            else:
                for slot, gain in zip(postings.slots, self._gains(postings, averages)):
                    if weight * gain > word_scores.get(slot, 0.0):
                        word_scores[slot] = weight * gain
        if word_scores is not scores:
            for slot, score in word_scores.items():
                scores[slot] = scores.get(slot, 0.0) + score

    def _title_bonus(self, scores, groups, wanted):
        """Raise the best articles' scores by TITLE_BONUS times the share of the query's words
        (any of each word's terms) their title holds: of two articles that match about as well,
        the one whose title says what was asked comes first. Chosen on the corpus queries
        (docs/performance.md); only the best RERANKED are looked at (at most a fifth more
        cannot lift an article from far below them)."""
        for entry, score in self._best(scores, RERANKED, wanted):
            in_title = sum(not entry.title_terms.isdisjoint(group) for group in groups)
            if in_title:
                scores[entry.slot] = score * (1 + TITLE_BONUS * in_title / len(groups))

    def _best(self, scores, count, wanted):
        """The `count` best (entry, score), and any that tie with the last of them, in order."""
        if count < len(scores):
            floor = heapq.nlargest(count, scores.values())[-1]
            chosen = [(slot, score) for slot, score in scores.items() if score >= floor]
        else:
            chosen = list(scores.items())
        by_slot = self.by_slot
        ranked = sorted(((by_slot[slot], score) for slot, score in chosen),
                        key=lambda item: (-item[1], -len(wanted & item[0].title_terms),
                                          -item[0].recency, item[0].title, item[0].article_id))
        return ranked[:count]

    @staticmethod
    def _admitted(ranked, allowed, limit):
        hits = []
        for entry, score in ranked:
            if allowed(entry):
                hits.append((entry, score))
                if len(hits) == limit:
                    break
        return hits
