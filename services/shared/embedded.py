"""The embedded data store: mongomock's query engine made durable and indexed.

Why this and not another engine is written down, with measurements, in docs/storage.md. In short:
mongomock implements the pymongo API the services use (find_one_and_update, upserts, unique
indexes, aggregation) but keeps data in memory and scans every document on every query; the
engines that do persist (montydb, tinymongo) lack unique indexes, $setOnInsert or aggregation and
were 5 to 25 times slower. So this module adds the two missing parts to mongomock:

* Durability. Each write operation (insert, update, find-and-modify, delete, index change) runs
  under one lock; the documents it touched are written to SQLite (WAL, synchronous=FULL) in one
  transaction before the call returns. An acknowledged write therefore survives kill -9, and a
  write interrupted mid-way is either wholly on disk or not at all; a `bulk_write` is one such
  operation, so a batch of updates costs one disk flush, not one per document. On open, the
  SQLite file is loaded back into memory.
* Index lookups. Equality on `_id`, or on every field of a declared index, reads candidates from a
  hash map instead of scanning; equality on all but the last field of an index and a range
  ($lt, $lte, $gt, $gte) of naive datetimes on the last reads them from a sorted list; mongomock's matcher still checks each candidate, so a query gets
  exactly the documents a scan would give. Documents whose indexed value is an array or sub-document
  (matched element-wise by MongoDB) and documents being changed by the running operation are always
  candidates, which keeps the maps safe while mongomock edits documents in place.

One process owns a data file (an exclusive lock says so clearly); several replicas of a service
need a real MongoDB through MONGO_URL. mongomock is pinned to one version because this module
relies on its store layout (`Collection._iter_documents`, `CollectionStore`).
"""
import bisect
import fcntl
import functools
import itertools
from datetime import datetime
import os
import sqlite3
import threading

import bson
import mongomock
from bson.codec_options import CodecOptions
from mongomock import helpers, store
from mongomock.collection import Collection
from mongomock.database import Database
from mongomock.filtering import filter_applies
from bson import ObjectId
from bson.errors import InvalidDocument
from pymongo.errors import (BulkWriteError, InvalidOperation, OperationFailure, PyMongoError,
                            WriteError)
from pymongo.results import BulkWriteResult, DeleteResult, InsertOneResult

_CODEC = CodecOptions(document_class=dict, tz_aware=False)
# Only these query values may use a hash map: others (datetimes with or without a zone, regexes,
# operators) compare in ways a hash cannot follow, and fall back to a scan.
_HASHABLE_QUERY_TYPES = (str, int, float, bool, ObjectId, type(None))
MAX_PROBES = 1000  # an $in (or several) naming more keys than this is answered by a scan
_RANGE_OPERATORS = {"$lt", "$lte", "$gt", "$gte"}
_MULTI_DOCUMENT = {"insert_many", "update_many", "delete_many", "bulk_write", "drop",
                   "drop_collection", "create_index", "create_indexes"}
_WRITE_METHODS = (
    "insert_one", "insert_many", "update_one", "update_many", "replace_one",
    "find_one_and_update", "find_one_and_replace", "find_one_and_delete",
    "delete_one", "delete_many", "bulk_write", "create_index", "create_indexes",
    "drop_index", "drop_indexes", "drop",
)


class DataFolderBusy(RuntimeError):
    pass


def _key_bytes(doc_id):
    if isinstance(doc_id, helpers.hashdict):
        doc_id = dict(doc_id)
    return bson.encode({"k": doc_id})


def _index_values(doc, field):
    """The values a document is indexed under at a dotted path, as MongoDB's multikey indexes do:
    one value, or each element of an array of scalars at the end of the path. TypeError where a
    hash cannot follow MongoDB's matching (an array on the way, sub-documents, an empty array):
    such a document is then always a candidate."""
    value = doc
    for part in field.split("."):
        if isinstance(value, list):
            raise TypeError("array on the path")
        if not isinstance(value, dict) or part not in value:
            return [None]
        value = value[part]
    values = value if isinstance(value, list) else [value]
    if not values or any(isinstance(v, (list, dict)) for v in values):
        raise TypeError("not indexable by hash")
    for item in values:
        hash(item)
    return values


def _query_values(condition):
    """The values an equality or `$in` condition can match by hash, or None when it cannot."""
    if isinstance(condition, _HASHABLE_QUERY_TYPES):
        return [condition]
    if isinstance(condition, dict) and set(condition) == {"$in"} and isinstance(condition["$in"], list):
        if all(isinstance(v, _HASHABLE_QUERY_TYPES) for v in condition["$in"]):
            return condition["$in"]
    return None


def _store_key(doc_id):
    return helpers.hashdict(doc_id) if isinstance(doc_id, dict) else doc_id


class IndexedCollectionStore(store.CollectionStore):
    """A collection's documents with hash maps for `_id` and declared indexes, and change tracking."""

    def __init__(self, name):
        super().__init__(name)
        self.touched = set()   # changed by the running write: maps may be stale, disk is
        self.settled = set()   # changed by earlier requests of a running bulk write, maps right
        self.tracking = False
        # Inside one request of a bulk write: {id: BSON of the document before it, None if absent},
        # so that a request that fails can be undone without undoing the requests before it.
        self.before = None
        self.dropped = False
        self._maps = {}        # index name -> {key tuple: set of ids}
        self._keys = {}        # index name -> {id: key tuple}
        self._multikey = {}    # index name -> set of ids whose key cannot be hashed
        # index name -> {key without its last field: [(naive datetime, id bytes)] in order}: range
        # lookups on the last field. Other values stay out: MongoDB compares a date bound with
        # dates only; aware datetimes (never read back from disk) are always candidates.
        self._ranges = {}
        self._unranged = {}    # index name -> ids with an aware datetime in the last field
        self._range_ids = {}   # id bytes -> id

    # -- writes, as mongomock performs them --------------------------------------------------
    def track(self, doc):
        key = _store_key(doc["_id"])
        self._remember(key)
        self.touched.add(key)
        return doc

    def __setitem__(self, key, val):
        self._remember(key)
        super().__setitem__(key, val)
        self.touched.add(key)
        self._reindex(key)

    def __delitem__(self, key):
        self._remember(key)
        super().__delitem__(key)
        self.touched.add(key)
        self._unindex(key)

    def create_index(self, index_name, index_dict):
        super().create_index(index_name, index_dict)
        self._build_map(index_name)

    def drop_index(self, index_name):
        super().drop_index(index_name)
        for table in (self._maps, self._keys, self._multikey, self._ranges, self._unranged):
            table.pop(index_name, None)

    def drop(self):
        super().drop()
        self._maps, self._keys, self._multikey = {}, {}, {}
        self._ranges, self._unranged, self._range_ids = {}, {}, {}
        self.dropped = True

    def _remember(self, key):
        if self.before is not None and key not in self.before:
            doc = self._documents.get(key)
            self.before[key] = None if doc is None else bson.encode(doc)

    def undo(self):
        """Put back what the running request of a bulk write changed."""
        for key, body in self.before.items():
            if body is None:
                self._documents.pop(key, None)
            else:
                self._documents[key] = bson.decode(body, codec_options=_CODEC)

    def checkpoint(self):
        """Between the requests of a bulk write: the maps follow what the last one changed, so
        the next one needs not treat every document changed so far as a candidate (which made
        a batch cost the square of its size)."""
        self.settle()
        self.settled |= self.touched
        self.touched.clear()

    # -- index maintenance -------------------------------------------------------------------
    def _fields(self, index_name):
        return [name for name, _ in self.indexes[index_name]["key"]]

    def _build_map(self, index_name):
        self._maps[index_name], self._keys[index_name] = {}, {}
        self._multikey[index_name] = set()
        self._ranges[index_name], self._unranged[index_name] = {}, set()
        for doc_id in list(self._documents):
            self._index_one(index_name, doc_id)

    def _keys_of(self, index_name, doc):
        """The keys a document is indexed under, or None where a hash cannot key it."""
        try:
            return set(itertools.product(*(_index_values(doc, field)
                                           for field in self._fields(index_name))))
        except TypeError:
            return None

    def _index_one(self, index_name, doc_id):
        self._index_keys(index_name, doc_id, self._keys_of(index_name, self._documents[doc_id]))

    def _index_keys(self, index_name, doc_id, keys):
        if keys is None:
            self._multikey[index_name].add(doc_id)
            return
        for key in keys:
            self._maps[index_name].setdefault(key, set()).add(doc_id)
            last = key[-1]
            if isinstance(last, datetime):
                if last.tzinfo is not None:
                    self._unranged[index_name].add(doc_id)
                    continue
                id_bytes = _key_bytes(doc_id)
                self._range_ids[id_bytes] = doc_id
                bisect.insort(self._ranges[index_name].setdefault(key[:-1], []), (last, id_bytes))
        self._keys[index_name][doc_id] = keys

    def _unindex(self, doc_id):
        for index_name in self._maps:
            self._unindex_one(index_name, doc_id)

    def _unindex_one(self, index_name, doc_id):
        self._multikey[index_name].discard(doc_id)
        self._unranged[index_name].discard(doc_id)
        for key in self._keys[index_name].pop(doc_id, ()):
            ids = self._maps[index_name][key]
            ids.discard(doc_id)
            if not ids:
                del self._maps[index_name][key]
            if isinstance(key[-1], datetime) and key[-1].tzinfo is None:
                self._unrange(index_name, key, doc_id)

    def _unrange(self, index_name, key, doc_id):
        entries = self._ranges[index_name][key[:-1]]
        entry = (key[-1], _key_bytes(doc_id))
        position = bisect.bisect_left(entries, entry)
        if position < len(entries) and entries[position] == entry:
            del entries[position]
        if not entries:
            del self._ranges[index_name][key[:-1]]

    def _reindex(self, doc_id):
        """Bring the maps in line with a document. An index whose keys the change left as they
        were is not touched: taking an entry out of a sorted date range of 100,000 and putting it
        back is most of what re-indexing costs."""
        doc = self._documents.get(doc_id)
        for index_name in self._maps:
            keys = None if doc is None else self._keys_of(index_name, doc)
            if keys is not None and keys == self._keys[index_name].get(doc_id):
                continue
            self._unindex_one(index_name, doc_id)
            if doc is not None:
                self._index_keys(index_name, doc_id, keys)

    def settle(self):
        """After a write operation: bring the maps up to date for what it edited in place."""
        for doc_id in self.touched:
            self._reindex(doc_id)

    # -- reads -------------------------------------------------------------------------------
    def candidates(self, spec):
        """(documents that match `spec` for sure, documents that may match it) or None when only
        a scan can tell. Top-level conditions are a conjunction, so any one usable clause (also
        inside a top-level $and) gives a superset; only a lookup that is the whole filter is
        sure, and never for documents a running write is changing or that a hash cannot key."""
        found = self._ids_for(spec)
        if found is None and isinstance(spec, dict) and isinstance(spec.get("$and"), list):
            for clause in spec["$and"]:
                found = self._ids_for(clause)
                if found is not None:
                    found = (set(), found[0] | found[1])
                    break
        if found is None:
            return None
        sure, maybe = found
        maybe = (maybe | (sure & self.touched) | self.touched)
        sure = sure - self.touched
        docs = self._documents
        return ([docs[i] for i in sure if i in docs], [docs[i] for i in maybe if i in docs])

    def _ids_for(self, spec):
        """(sure ids, maybe ids) for a filter, or None."""
        if not isinstance(spec, dict):
            return None
        doc_ids = _query_values(spec["_id"]) if "_id" in spec else None
        if doc_ids is not None:
            return set(), {_store_key(i) for i in doc_ids}
        return self._ids_from_index(spec)

    def _ids_from_index(self, spec):
        for index_name, index_map in self._maps.items():
            fields = self._fields(index_name)
            choices = [_query_values(spec[field]) if field in spec else None for field in fields]
            if any(c is None for c in choices) or _product_size(choices) > MAX_PROBES:
                continue
            hits = set()
            # Keys compare as Python values do, which is how mongomock's matcher compares them.
            for key in itertools.product(*choices):
                hits |= index_map.get(key, set())
            exact = set(spec) == set(fields)
            return (hits, set(self._multikey[index_name])) if exact else \
                (set(), hits | self._multikey[index_name])
        return self._ids_from_range(spec)

    def _ids_from_range(self, spec):
        """(no sure ids, maybe ids) for equality on an index's leading fields and a range of
        naive datetimes on its last, or None."""
        for index_name, ranges in self._ranges.items():
            fields = self._fields(index_name)
            bounds = spec.get(fields[-1])
            if (not isinstance(bounds, dict) or not bounds or set(bounds) - _RANGE_OPERATORS
                    or not all(type(v) is datetime and v.tzinfo is None for v in bounds.values())):
                continue
            choices = [_query_values(spec[field]) if field in spec else None for field in fields[:-1]]
            if any(c is None for c in choices) or _product_size(choices) > MAX_PROBES:
                continue
            hits = set()
            for prefix in itertools.product(*choices):
                entries = ranges.get(prefix, [])
                low, high = 0, len(entries)
                for operator, value in bounds.items():
                    if operator == "$gte":
                        low = max(low, bisect.bisect_left(entries, value, key=_first))
                    elif operator == "$gt":
                        low = max(low, bisect.bisect_right(entries, value, key=_first))
                    elif operator == "$lte":
                        high = min(high, bisect.bisect_right(entries, value, key=_first))
                    else:
                        high = min(high, bisect.bisect_left(entries, value, key=_first))
                hits.update(self._range_ids[id_bytes] for _, id_bytes in entries[low:high])
            return set(), hits | self._multikey[index_name] | self._unranged[index_name]
        return None


def _first(entry):
    return entry[0]


def _product_size(choices):
    size = 1
    for values in choices:
        size *= len(values)
    return size


class IndexedDatabaseStore(store.DatabaseStore):
    def __getitem__(self, col_name):
        try:
            return self._collections[col_name]
        except KeyError:
            col = self._collections[col_name] = IndexedCollectionStore(col_name)
            return col

    def rename(self, name, new_name):
        raise OperationFailure("Renaming collections is not supported by the embedded store.")


class EmbeddedCollection(Collection):
    """A mongomock collection whose reads use the hash maps and whose writes reach the disk."""

    def _iter_documents(self, filter):
        col_store = self._store
        found = col_store.candidates(filter)
        if found is None:
            if col_store.is_empty:
                filter_applies(filter, {})
            sure, maybe = [], list(col_store.documents)
        else:
            sure, maybe = found
        matching = itertools.chain(sure, (doc for doc in maybe if filter_applies(filter, doc)))
        if not col_store.tracking:
            return matching
        # Inside a write, mongomock edits what this yields in place: remember it for the journal.
        return (col_store.track(doc) for doc in matching)

    def bulk_write(self, requests, ordered=True, bypass_document_validation=False, session=None):
        """pymongo's bulk write (mongomock's breaks on what pymongo 4.9+ passes), run by the
        journal as one write operation: one SQLite transaction for the whole batch. As in MongoDB,
        each request is atomic on its own: one that fails leaves its documents as they were before
        it, the others stay done, and an ordered batch stops there."""
        if bypass_document_validation or session is not None:
            raise OperationFailure("The embedded store takes bulk writes without options.")
        batch = _BulkRequests(self)
        for request in requests:
            request._add_to_bulk(batch)
        if not batch.calls:
            raise InvalidOperation("No operations to execute")
        col_store = self._store
        result = {"writeErrors": [], "writeConcernErrors": [], "nInserted": 0, "nUpserted": 0,
                  "nMatched": 0, "nModified": 0, "nRemoved": 0, "upserted": []}
        for index, call in enumerate(batch.calls):
            col_store.before = {}
            try:
                _count(result, index, call())
            except Exception as exc:
                col_store.undo()
                ours = isinstance(exc, PyMongoError)
                # The type only for a foreign error: its message may quote the document.
                result["writeErrors"].append({
                    "index": index, "code": (getattr(exc, "code", None) if ours else None) or 14,
                    "errmsg": str(exc) if ours else type(exc).__name__})
                if ordered:
                    break
            finally:
                col_store.before = None
                col_store.checkpoint()
        if result["writeErrors"]:
            raise BulkWriteError(result)
        return BulkWriteResult(result, True)

    def with_options(self, **kwargs):
        # mongomock builds its own Collection here; keep ours, options do not matter to it.
        return self

    def __getattribute__(self, name):
        attribute = super().__getattribute__(name)
        if name in _WRITE_METHODS:
            journal = super().__getattribute__("database").journal
            return functools.partial(journal.write, self, attribute)
        return attribute


class _BulkRequests:
    """What pymongo's request objects add themselves to (`_add_to_bulk`): each request as a call
    of the collection's own write method."""

    def __init__(self, collection):
        self.collection = collection
        self.calls = []

    @staticmethod
    def _plain(collation=None, sort=None, **_):
        if collation is not None or sort is not None:
            raise OperationFailure("The embedded store has no collation or sort in bulk writes.")

    def add_insert(self, document):
        self.calls.append(functools.partial(self.collection.insert_one, document))

    def add_update(self, selector, update, multi, upsert, array_filters=None, hint=None, **options):
        self._plain(**options)
        method = self.collection.update_many if multi else self.collection.update_one
        self.calls.append(functools.partial(method, selector, update, upsert=upsert,
                                            array_filters=array_filters))

    def add_replace(self, selector, replacement, upsert, hint=None, **options):
        self._plain(**options)
        self.calls.append(functools.partial(self.collection.replace_one, selector, replacement,
                                            upsert=upsert))

    def add_delete(self, selector, limit, hint=None, **options):
        self._plain(**options)
        method = self.collection.delete_one if limit == 1 else self.collection.delete_many
        self.calls.append(functools.partial(method, selector))


def _count(result, index, outcome):
    """Add one request's outcome to a bulk write's result, as MongoDB reports it."""
    if isinstance(outcome, InsertOneResult):
        result["nInserted"] += 1
    elif isinstance(outcome, DeleteResult):
        result["nRemoved"] += outcome.deleted_count
    elif outcome.upserted_id is not None:
        result["nUpserted"] += 1
        result["upserted"].append({"index": index, "_id": outcome.upserted_id})
    else:
        result["nMatched"] += outcome.matched_count
        result["nModified"] += outcome.modified_count


class EmbeddedDatabase(Database):
    def __init__(self, client, name, journal):
        super().__init__(client, name, _store=IndexedDatabaseStore())
        self.journal = journal
        journal.load(self)

    def get_collection(self, name, codec_options=None, read_preference=None,
                       write_concern=None, read_concern=None):
        try:
            return self._collection_accesses[name]
        except KeyError:
            self._ensure_valid_collection_name(name)
            collection = self._collection_accesses[name] = EmbeddedCollection(
                self, name=name, read_preference=self.read_preference,
                codec_options=self._codec_options, _db_store=self._store)
            return collection

    def drop_collection(self, name_or_collection, session=None):
        name = getattr(name_or_collection, "name", name_or_collection)
        return self.journal.write(self.get_collection(name), super().drop_collection, name)

    def rename_collection(self, *args, **kwargs):
        raise OperationFailure("Renaming collections is not supported by the embedded store.")


class Journal:
    """The SQLite file behind one database: documents and index definitions."""

    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(f"{path}.lock", "a+")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataFolderBusy(
                f"{path} is in use by another process. One process owns an embedded data file; "
                "run several replicas against a real MongoDB (MONGO_URL).") from None
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(str(os.getpid()))
        self._lock_file.flush()
        self._sql = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._sql.execute("PRAGMA journal_mode=WAL")
        self._sql.execute("PRAGMA synchronous=FULL")
        self._sql.executescript(
            "CREATE TABLE IF NOT EXISTS documents (collection TEXT, key BLOB, body BLOB,"
            " PRIMARY KEY (collection, key)) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS indexes (collection TEXT, name TEXT, spec BLOB,"
            " PRIMARY KEY (collection, name)) WITHOUT ROWID;")
        self._mutex = threading.RLock()
        self._depth = 0
        self._indexes_on_disk = {}  # collection -> index names, so a write need not ask SQLite

    def load(self, database):
        db_store = database._store
        for collection, spec_bytes in self._sql.execute("SELECT collection, spec FROM indexes"):
            spec = bson.decode(spec_bytes, codec_options=_CODEC)
            spec["key"] = [tuple(pair) for pair in spec["key"]]
            index_name = spec.pop("name")
            store.CollectionStore.create_index(db_store[collection], index_name, spec)
            self._indexes_on_disk.setdefault(collection, set()).add(index_name)
        for collection, body in self._sql.execute("SELECT collection, body FROM documents"):
            doc = bson.decode(body, codec_options=_CODEC)
            db_store[collection]._documents[_store_key(doc["_id"])] = doc
        for collection in db_store.list_created_collection_names():
            col = db_store[collection]
            for index_name in col.indexes:
                col._build_map(index_name)

    def write(self, collection, operation, *args, **kwargs):
        """Run one write operation and put everything it changed on disk before returning.

        mongomock calls its own public methods from some of them (find-and-modify updates):
        only the outermost call tracks and persists. A failed operation on one document leaves it
        as it was, as in MongoDB: mongomock may have changed it half-way (a $set applied before a
        $pop met a string), so memory is restored from disk. A failed operation on many
        documents keeps what was done before the failure, as MongoDB does without a transaction.
        A change that cannot be stored (not encodable as BSON) is undone in memory too.
        """
        col_store = collection._store
        with self._mutex:
            if self._depth:
                return operation(*args, **kwargs)
            col_store.touched.clear()
            col_store.settled.clear()
            col_store.dropped = False
            col_store.tracking = True
            self._depth += 1
            try:
                result = operation(*args, **kwargs)
            except PyMongoError:
                self._settle(collection, col_store, keep=operation.__name__ in _MULTI_DOCUMENT)
                raise
            except Exception as exc:
                self._settle(collection, col_store, keep=False)
                # The type only: the message may quote the document, secrets included.
                raise WriteError(f"The write failed ({type(exc).__name__}).", code=14) from exc
            self._settle(collection, col_store, keep=True)
            return result

    def _settle(self, collection, col_store, keep):
        """Persist what the operation touched (keep) or put it back as it is on disk."""
        self._depth -= 1
        col_store.tracking = False
        try:
            col_store.settle()
            col_store.touched |= col_store.settled  # their maps were settled request by request
            if keep:
                self._persist(collection.name, col_store)
            else:
                self._restore(collection.name, col_store)
        except (sqlite3.Error, InvalidDocument, UnicodeError, OverflowError) as exc:
            # What is not on disk must not be visible either.
            self._restore(collection.name, col_store)
            raise WriteError(f"The change cannot be stored ({type(exc).__name__}).", code=2) from exc
        finally:
            col_store.touched.clear()
            col_store.settled.clear()

    def _restore(self, name, col_store):
        for doc_id in col_store.touched:
            row = self._sql.execute("SELECT body FROM documents WHERE collection = ? AND key = ?",
                                    (name, _key_bytes(doc_id))).fetchone()
            if row is None:
                if doc_id in col_store._documents:
                    del col_store._documents[doc_id]
            else:
                col_store._documents[doc_id] = bson.decode(row[0], codec_options=_CODEC)
        col_store.settle()

    def _persist(self, name, col_store):
        # Encode first: a document BSON refuses must fail before the transaction starts.
        rows = []
        for doc_id in col_store.touched:
            doc = col_store._documents.get(doc_id)
            rows.append((_key_bytes(doc_id), None if doc is None else bson.encode(doc)))
        sql = self._sql
        sql.execute("BEGIN IMMEDIATE")
        try:
            if col_store.dropped:
                sql.execute("DELETE FROM documents WHERE collection = ?", (name,))
                sql.execute("DELETE FROM indexes WHERE collection = ?", (name,))
            for key, body in rows:
                if body is None:
                    sql.execute("DELETE FROM documents WHERE collection = ? AND key = ?",
                                (name, key))
                else:
                    sql.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                                (name, key, body))
            stored = self._indexes_on_disk.get(name, set())
            current = set(col_store.indexes)
            for index_name in current - stored:
                spec = col_store.indexes[index_name]
                sql.execute("INSERT INTO indexes VALUES (?, ?, ?)",
                            (name, index_name, bson.encode(dict(spec, name=index_name))))
            for index_name in stored - current:
                sql.execute("DELETE FROM indexes WHERE collection = ? AND name = ?",
                            (name, index_name))
            sql.execute("COMMIT")
        except BaseException:
            sql.execute("ROLLBACK")
            raise
        self._indexes_on_disk[name] = current

    def close(self):
        self._sql.close()
        self._lock_file.close()


def open_embedded_database(path, name):
    """The database `name` stored in the SQLite file at `path` (a pathlib.Path)."""
    return EmbeddedDatabase(mongomock.MongoClient(), name, Journal(path))
