"""The inverted index, kept in the knowledge database next to the articles.

`index_docs` holds one document per published article: its distinct index `terms` (a multikey
index on (account_id, terms) makes it the inverted index), the count of each term in title, tags
and body (`tf`), the field lengths, and what search filters on (section, tags, visibility).
`index_stats` holds per account how many articles are indexed and their summed field lengths,
which BM25 normalizes by.

Only published articles are indexed; (re)indexing happens in the call that publishes or edits, so
the article is searchable as soon as that call returns.
"""
from collections import Counter

from services.knowledge import ranking
from services.knowledge.analysis import query_words, terms
from services.knowledge.rendering import plain_text
from services.knowledge.typos import closest_terms

MAX_QUERY_TERMS = 32
FUZZY_SAMPLE = 300
FUZZY_DISCOUNT = 0.7  # a substitute for a misspelt word counts for less than the word itself


def field_terms(article):
    """Index terms per field; equipment kinds count as tags."""
    labels = list(article.get("tags", [])) + list(article.get("equipment_kinds", []))
    return {"title": terms(article["title"]), "tags": terms(" ".join(labels)),
            "body": terms(plain_text(article.get("body", "")))}


def index_document(article):
    """What `index_docs` keeps for one article."""
    per_field = field_terms(article)
    counts = {name: Counter(found) for name, found in per_field.items()}
    vocabulary = sorted(set().union(*counts.values()))
    return {
        "_id": article["_id"], "account_id": article["account_id"], "terms": vocabulary,
        "tf": {term: [counts[name][term] for name in ranking.FIELDS] for term in vocabulary},
        "lengths": {name: len(found) for name, found in per_field.items()},
        "section_id": article.get("section_id"),
        "tags": sorted({tag.lower() for tag in article.get("tags", [])}),
        "visibility": article["visibility"],
        "client_categories": article.get("client_categories", [])}


class SearchIndex:
    def __init__(self, db):
        self.docs, self.stats = db.index_docs, db.index_stats

    @staticmethod
    def create_indexes(db):
        db.index_docs.create_index([("account_id", 1), ("terms", 1)])

    def _add_stats(self, account_id, lengths, sign):
        self.stats.update_one({"_id": account_id}, {"$inc": {
            "documents": sign, **{name: sign * lengths[name] for name in ranking.FIELDS}}},
            upsert=True)

    def remove(self, account_id, article_id):
        """Take an article out of the index (unpublished, archived or about to be reindexed)."""
        old = self.docs.find_one_and_delete({"_id": article_id, "account_id": account_id},
                                            {"lengths": 1})
        if old is not None:
            self._add_stats(account_id, old["lengths"], -1)

    def add(self, article):
        """Index a published article, replacing whatever was indexed for it before."""
        self.remove(article["account_id"], article["_id"])
        doc = index_document(article)
        self.docs.insert_one(doc)
        self._add_stats(article["account_id"], doc["lengths"], 1)

    def _frequency(self, account_id, term):
        return self.docs.count_documents({"account_id": account_id, "terms": term})

    def _spellings(self, account_id, term, word):
        """Index terms close to an unknown `term` (typed as `word`) sharing its first letters."""
        if len(term) < 4:
            return []
        sample = self.docs.find({"account_id": account_id, "terms": {"$regex": f"^{term[:3]}"}},
                                {"terms": 1}).limit(FUZZY_SAMPLE)
        vocabulary = Counter(found for doc in sample for found in doc["terms"]
                             if found.startswith(term[:3]))
        return closest_terms(term, vocabulary, word)

    def expand(self, account_id, pairs):
        """{index term: weight factor} and {index term: document frequency} for the query's
        (term, word) pairs: terms the index does not know are replaced by close spellings."""
        factors, frequencies = {}, {}
        for term, word in pairs:
            df = self._frequency(account_id, term)
            if df:
                factors[term], frequencies[term] = 1.0, df
                continue
            for found in self._spellings(account_id, term, word):
                factors.setdefault(found, FUZZY_DISCOUNT)
                frequencies[found] = self._frequency(account_id, found)
        return factors, frequencies

    def search(self, account_id, text, doc_filter, limit):
        """[(article_id, score, matched index terms)] of the best `limit` articles for the query
        `text` that match `doc_filter` (a query on `index_docs`)."""
        factors, frequencies = self.expand(account_id, query_words(text)[:MAX_QUERY_TERMS])
        if not factors:
            return []
        stats = self.stats.find_one({"_id": account_id}) or {}
        documents = max(stats.get("documents", 0), 1)
        averages = {name: stats.get(name, 0) / documents for name in ranking.FIELDS}
        idfs = {term: ranking.idf(frequencies[term], documents) * factor
                for term, factor in factors.items()}
        projection = {"lengths": 1, **{f"tf.{term}": 1 for term in factors}}
        found = self.docs.find({"$and": [doc_filter, {"account_id": account_id,
                                                      "terms": {"$in": list(factors)}}]},
                               projection)
        scored = []
        for doc in found:
            matches = {term: dict(zip(ranking.FIELDS, counts))
                       for term, counts in doc.get("tf", {}).items() if term in factors}
            scored.append((doc["_id"], ranking.score(matches, doc["lengths"], averages, idfs),
                           sorted(matches)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]
