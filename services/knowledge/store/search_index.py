"""The search index: durable in the knowledge database, evaluated in each process's memory.

`index_docs` holds one document per article, published or not (`searchable`): each term's count
in title, tags and body, the field lengths, the filter fields, the title and plain text for
snippets, and the article's `version`. A write replaces it only with a newer version, so two
reindexings that race cannot leave the older one in place.

`index_changes` holds per account a counter and the ids of the last CHANGE_LOG articles
reindexed, appended in one update *after* the index document was written. Every process keeps
each account's index in memory (`MemoryIndex`) and, before a search, reads that one document by
its id: when the counter moved, it re-reads just the articles named since its last look (their
current documents, so the order in which racing writers appended does not matter); when it fell
further behind than the log reaches, it loads the account afresh. A write is therefore
searchable in every replica of the service at its next search, and a search costs one lookup by
id plus the evaluation in memory, whatever the number of articles.
"""
import threading

from pymongo.errors import DuplicateKeyError

from services.knowledge.index_documents import LAYOUT, index_document
from services.knowledge.memory_index import MemoryIndex

CHANGE_LOG = 500


class AccountIndexes:
    """The process's in-memory indexes, one per account, with the counter each was read at, and
    each account's compiled synonym lexicon with its version (store/synonyms.py). One per
    process (the service's dependency provider shares it between workers)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.indexes = {}
        self.lexicons = {}


class SearchIndex:
    def __init__(self, db, memory):
        self.docs, self.changes, self.memory = db.index_docs, db.index_changes, memory

    @staticmethod
    def create_indexes(db):
        """Changes are looked up by `_id`; loading an account reads its searchable documents.
        An index of the old layout (per-term documents with account statistics) is rebuilt from
        the articles once, and so is every document an older analysis wrote (`LAYOUT`)."""
        db.index_docs.create_index([("account_id", 1), ("searchable", 1)])
        if db.index_stats.find_one({}, {"_id": 1}) is not None:
            db.index_docs.delete_many({})
            db.index_changes.delete_many({})
            for article in db.articles.find({}):
                SearchIndex(db, None).put(article)
            db.index_stats.drop()
        stale = [doc["_id"] for doc in db.index_docs.find({"layout": {"$ne": LAYOUT}}, {"_id": 1})]
        if stale:
            db.index_docs.delete_many({"_id": {"$in": stale}})
            for article in db.articles.find({"_id": {"$in": stale}}):
                SearchIndex(db, None).put(article)

    def put(self, article):
        """Index the article in its current state (only a published one is searchable)."""
        doc = index_document(article)
        replaced = self.docs.replace_one(
            {"_id": doc["_id"], "account_id": doc["account_id"],
             "version": {"$lt": doc["version"]}}, doc)
        if not replaced.matched_count:
            try:
                self.docs.insert_one(doc)
            except DuplicateKeyError:
                return  # a newer version is indexed already and has announced itself
        self.changes.update_one({"_id": doc["account_id"]}, {
            "$inc": {"seq": 1},
            "$push": {"log": {"$each": [doc["_id"]], "$slice": -CHANGE_LOG}}}, upsert=True)

    def _load(self, account_id):
        change = self.changes.find_one({"_id": account_id}) or {}
        index = MemoryIndex()
        for doc in self.docs.find({"account_id": account_id, "searchable": True}):
            index.put(doc["_id"], doc)
        index.prime()
        return index, change.get("seq", 0)

    def warm(self):
        """Bring every account's index in this process up to date (loading those not held yet),
        one account at a time so that searches of others go on in between."""
        for change in self.changes.find({}, {"_id": 1}):
            with self.memory.lock:
                self._current(change["_id"])

    def search(self, account_id, text, allowed, limit, lexicon):
        """`MemoryIndex.search` over the account's index as of now, with the account's
        `lexicon`. Under the lock: an index is never changed while another request walks it."""
        with self.memory.lock:
            return self._current(account_id).search(text, allowed, limit, lexicon)

    def _current(self, account_id):
        """The account's index brought up to date from the change log (the lock is held)."""
        held = self.memory.indexes.get(account_id)
        change = self.changes.find_one({"_id": account_id}) or {}
        seq, log = change.get("seq", 0), change.get("log", [])
        if held is None or seq - held[1] > len(log) or seq < held[1]:
            held = self.memory.indexes[account_id] = self._load(account_id)
        elif seq > held[1]:
            changed = set(log[len(log) - (seq - held[1]):])
            found = {doc["_id"]: doc for doc in self.docs.find(
                {"account_id": account_id, "_id": {"$in": sorted(changed)}})}
            for article_id in changed:
                if article_id in found:
                    held[0].put(article_id, found[article_id])
                else:
                    held[0].drop(article_id)
            held = self.memory.indexes[account_id] = (held[0], seq)
        return held[0]
