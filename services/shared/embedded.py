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
* Index lookups. Each declared index is a sorted list of keys (embedded_indexes.py): equality
  on its leading fields (any number of them, `$in` included) and a range on the next one read
  candidates from a slice of it, and a sorted find with a limit whose sort follows the index after
  the equality fields, `_id` last (every page of a list), reads the index in order and stops at
  the page's end. mongomock's matcher still checks each candidate, so a query gets exactly the
  documents a scan would give. Documents whose indexed value has no place in the order (a
  sub-document, an array on the way) and documents being changed by the running operation are
  always candidates, which keeps the keys safe while mongomock edits documents in place; a
  document's keys follow it again as soon as mongomock checks its unique indexes, so one
  insert_many or update_many costs what its documents cost, not the square of their number.
* Strict mode (embedded_strict.py, on unless EMBEDDED_STRICT=0): booleans and numbers never match
  each other, conflicting update paths and documents over 16 MiB are refused, as by MongoDB.

One process owns a data file (an exclusive lock says so clearly); several replicas of a service
need a real MongoDB through MONGO_URL. mongomock is pinned to one version because this module
relies on its store layout (`Collection._iter_documents`, `CollectionStore`).
"""
import copy
import fcntl
import functools
import itertools
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from datetime import timedelta

import bson
import mongomock
from bson.codec_options import CodecOptions
from mongomock import helpers, store
from mongomock.collection import Collection, Cursor
from mongomock.database import Database
from mongomock.filtering import filter_applies
from bson.errors import InvalidDocument
from pymongo.errors import (BulkWriteError, DocumentTooLarge, InvalidOperation, OperationFailure,
                            PyMongoError, WriteError)
from pymongo.results import BulkWriteResult, DeleteResult, InsertOneResult

from services.shared.embedded_indexes import OrderedIndex, choose, choose_ordered, conjuncts, \
    equal_keys
from services.shared.clock import utcnow
from services.shared.embedded_strict import MAX_DOCUMENT_BYTES, check_update_paths, exact_filter

_CODEC = CodecOptions(document_class=dict, tz_aware=False)
TTL_PURGE_SECONDS = 60  # as often as MongoDB's TTL monitor runs
_SHARED_LENGTH = 32  # strings up to this length are shared on load: names, statuses, account ids
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


class UpdateOperatorFailed(Exception):
    """An update operator met a value it cannot work on (an $inc on a string): the operator's name
    is what the caller needs to find the mistake; the value may be a secret and stays out."""

    def __init__(self, operator, cause):
        super().__init__(operator, cause)
        self.operator, self.cause = operator, cause

    def __str__(self):
        return f"{self.operator} cannot be applied ({type(self.cause).__name__})"


def _sharing(value, shared):
    """`value` with its field names and short strings replaced by equal ones seen before: decoded
    documents each get their own copy of every name ("account_id", "status"...) and of values
    repeated in thousands of documents, and those copies were about half of a ticket's memory."""
    kind = type(value)
    if kind is dict:
        return {shared.setdefault(k, k): _sharing(v, shared) for k, v in value.items()}
    if kind is list:
        return [_sharing(v, shared) for v in value]
    if kind is str and len(value) <= _SHARED_LENGTH:
        return shared.setdefault(value, value)
    return value


def _key_bytes(doc_id):
    if isinstance(doc_id, helpers.hashdict):
        doc_id = dict(doc_id)
    return bson.encode({"k": doc_id})


def _store_key(doc_id):
    return helpers.hashdict(doc_id) if isinstance(doc_id, dict) else doc_id


class IndexedCollectionStore(store.CollectionStore):
    """A collection's documents with an ordered index for each declared one, and change tracking."""

    def __init__(self, name):
        super().__init__(name)
        self.touched = set()   # changed by the running write: to put on disk
        self.dirty = set()     # edited in place by mongomock since: their keys may be stale
        self.tracking = False
        # Inside one request of a bulk write: {id: BSON of the document before it, None if absent},
        # so that a request that fails can be undone without undoing the requests before it.
        self.before = None
        self.dropped = False
        self._indexes = {}     # index name -> OrderedIndex

    # -- writes, as mongomock performs them --------------------------------------------------
    def track(self, doc):
        key = _store_key(doc["_id"])
        self._remember(key)
        self.touched.add(key)
        self.dirty.add(key)
        return doc

    def __setitem__(self, key, val):
        self._remember(key)
        super().__setitem__(key, val)
        self.touched.add(key)
        self.settle_one(key)

    def __delitem__(self, key):
        self._remember(key)
        super().__delitem__(key)
        self.touched.add(key)
        self.settle_one(key)

    def _remove_expired_documents(self):
        """mongomock would scan the whole collection for expired documents on every read and drop
        them from memory only (they came back at every start). TTL indexes are applied by
        `EmbeddedDatabase.purge_expired` instead, through the index and on disk too."""

    def create_index(self, index_name, index_dict):
        if index_name in self._indexes and self.indexes.get(index_name) == index_dict:
            return  # every start declares its indexes again: a million keys are not rebuilt
        super().create_index(index_name, index_dict)
        self.build_index(index_name)

    def drop_index(self, index_name):
        super().drop_index(index_name)
        self._indexes.pop(index_name, None)

    def drop(self):
        super().drop()
        self._indexes = {}
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
            self.dirty.add(key)

    # -- index maintenance -------------------------------------------------------------------
    def build_index(self, index_name):
        fields = [name for name, _ in self.indexes[index_name]["key"]]
        self._indexes[index_name] = OrderedIndex(fields).build(self._documents)

    def settle_one(self, key):
        """The keys of one document follow it again (a checkpoint inside a write: the next
        lookup of the same operation needs not take it as a candidate)."""
        self.dirty.discard(key)
        doc = self._documents.get(key)
        for index in self._indexes.values():
            index.update(key, doc)

    def settle(self):
        """The keys of every document edited in place follow it again."""
        for key in list(self.dirty):
            self.settle_one(key)

    # -- reads -------------------------------------------------------------------------------
    def candidates(self, spec):
        """The documents that may match `spec`, read from an index, or None when only a scan can
        tell. Documents being edited in place by the running write are always candidates."""
        fields, alternatives = conjuncts(spec)
        ids = self._ids_by_id(fields.get("_id", ()))
        if ids is None:
            index, plan = choose(self._indexes.values(), fields, alternatives)
            if index is None:
                return None
            held, prefixes, interval = plan
            ids = dict.fromkeys(key[-1] for keys in index.walk(prefixes, interval) for key in keys)
            ids.update(dict.fromkeys(index.odd))
        ids.update(dict.fromkeys(self.dirty))
        docs = self._documents
        return [docs[i] for i in ids if i in docs]

    @staticmethod
    def _ids_by_id(conditions):
        forms = equal_keys(conditions)
        return None if forms is None else dict.fromkeys(value for _, value in forms)

    def ordered(self, spec, sort, count, matches):
        """The first `count` documents that match, in `sort` order, read from an index that has
        this order so that no more than the page is read; None when no index has it (or keys
        are stale inside a write)."""
        if self.dirty:
            return None
        fields, alternatives = conjuncts(spec)
        chosen = choose_ordered(self._indexes.values(), fields, alternatives, sort)
        if chosen is None:
            return None
        index, plan, reverse = chosen
        found, docs = [], self._documents
        for doc_id in index.ordered(plan, reverse):
            doc = docs.get(doc_id)
            if doc is not None and matches(doc):
                found.append(doc)
                if len(found) >= count:
                    break
        return found


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
    """A mongomock collection whose reads use the ordered indexes and whose writes reach the disk."""

    def _matcher(self, spec):
        """mongomock's matcher for `spec`, with MongoDB's equality in strict mode."""
        return functools.partial(filter_applies,
                                 exact_filter(spec) if self.database.strict else spec)

    def _iter_documents(self, filter):
        col_store = self._store
        found = col_store.candidates(filter)
        if found is None:
            if col_store.is_empty:
                filter_applies(filter, {})
            found = list(col_store.documents)
        matches = self._matcher(filter)
        matching = (doc for doc in found if matches(doc))
        if not col_store.tracking:
            return matching
        # Inside a write, mongomock edits what this yields in place: remember it for the journal.
        return (col_store.track(doc) for doc in matching)

    def create_index(self, key_or_list, cache_for=300, session=None, **kwargs):
        """As mongomock's, except that an index declared again as it is changes nothing (as in
        MongoDB), instead of checking a unique one against every document again."""
        index_list = helpers.create_index_list(key_or_list)
        name = kwargs.get("name") or helpers.gen_index_name(index_list)
        existing = self._store.indexes.get(name)
        options = {key for key, value in kwargs.items() if value} - {"name", "unique", "sparse"}
        if (existing is not None and not options and existing["key"] == index_list
                and existing.get("unique", False) == bool(kwargs.get("unique"))
                and existing.get("sparse", False) == bool(kwargs.get("sparse"))):
            return name
        return super().create_index(key_or_list, cache_for, session, **kwargs)

    def find(self, *args, **kwargs):
        cursor = super().find(*args, **kwargs)
        cursor.__class__ = _Cursor  # the same cursor; only a sorted, limited page is read otherwise
        return cursor

    def find_one(self, filter=None, *args, **kwargs):
        """As pymongo's: one document, so that a sorted find_one (and find_one_and_update with a
        sort) reads a page of one."""
        if filter is None:
            filter = {}
        if not isinstance(filter, Mapping):
            filter = {"_id": filter}
        return next(self.find(filter, *args, **kwargs).limit(1), None)

    def _sorted_page(self, spec, sort, projection, count):
        """The first `count` documents of a sorted find, read in an index's order, or None."""
        col_store = self._store
        docs = col_store.ordered(spec, sort, count, self._matcher(spec))
        if docs is None:
            return None
        if col_store.tracking:
            docs = [col_store.track(doc) for doc in docs]
        return [self._copy_only_fields(doc, projection, dict) for doc in docs]

    def _copy_only_fields(self, doc, fields, container):
        """mongomock's copy of a result, faster where a page spends most of its time: the whole
        document, or all but some top-level fields (the lists' projections). BSON's scalars
        are immutable, so only sub-documents and arrays need copying."""
        if container is dict and (fields is None or _excludes_top_level(fields)):
            excluded = fields or ()
            return {key: _copied(value) for key, value in doc.items() if key not in excluded}
        return super()._copy_only_fields(doc, fields, container)

    def _ensure_uniques(self, new_data):
        """mongomock checks unique indexes after each document it inserts or changes: a checkpoint,
        so that the keys follow that document and the next check of the same insert_many or
        update_many needs not take every document changed so far as a candidate (which made a
        batch cost the square of its size). The check itself only reads."""
        col_store = self._store
        col_store.settle_one(_store_key(new_data["_id"]))
        tracking, col_store.tracking = col_store.tracking, False
        try:
            super()._ensure_uniques(new_data)
        finally:
            col_store.tracking = tracking

    def _update(self, spec, document, *args, **kwargs):
        if self.database.strict and isinstance(document, Mapping):
            check_update_paths(document)
        return super()._update(spec, document, *args, **kwargs)

    def _apply_update_document(self, existing_document, spec, document, was_insert):
        """mongomock's update of one document, failing with the name of the operator that failed."""
        try:
            super()._apply_update_document(existing_document, spec, document, was_insert)
        except Exception as exc:
            operator = self._failing_operator(existing_document, spec, document, was_insert)
            if isinstance(exc, PyMongoError):
                raise WriteError(f"{operator}: {exc}", code=getattr(exc, "code", None) or 14) \
                    from exc
            raise UpdateOperatorFailed(operator, exc) from exc

    def _failing_operator(self, existing_document, spec, document, was_insert):
        """Which operator of an update fails on the document: each alone, on a copy."""
        operators = [key for key in document if isinstance(key, str) and key.startswith("$")]
        for operator in operators[:-1]:
            try:
                super()._apply_update_document(copy.deepcopy(existing_document), spec,
                                               {operator: document[operator]}, was_insert)
            except Exception:
                return operator
        return operators[-1] if operators else "replacement"

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
                result["writeErrors"].append({
                    "index": index, "code": (getattr(exc, "code", None) if ours else None) or 14,
                    "errmsg": str(exc) if ours else _reason(exc)})
                if ordered:
                    break
            finally:
                col_store.before = None
                col_store.settle()
        if result["writeErrors"]:
            raise BulkWriteError(result)
        return BulkWriteResult(result, True)

    def with_options(self, **kwargs):
        # mongomock builds its own Collection here; keep ours, options do not matter to it.
        return self

    def __getattribute__(self, name):
        attribute = super().__getattribute__(name)
        if name in _WRITE_METHODS:
            database = super().__getattribute__("database")
            database.purge_when_due()
            return functools.partial(database.journal.write, self, attribute)
        return attribute


class _Cursor(Cursor):
    """mongomock's cursor, except that a sorted page with a limit is read in an index's order when
    one has it (see `IndexedCollectionStore.ordered`), so that its cost follows the page."""
    _page = None

    def _compute_results(self, with_limit_and_skip=False):
        if with_limit_and_skip and self._limit:
            asked = (self._factory, self._skip, self._limit)
            if self._page is None or self._page[0] != asked:
                self._page = asked, self._first(self._skip + abs(self._limit))
            if self._page[1] is not None:
                return self._page[1][self._skip:]
        return super()._compute_results(with_limit_and_skip)

    def _first(self, count):
        """The first `count` results, or None when only sorting them all can tell."""
        if not self._sort:
            return list(itertools.islice(self._factory(), count))  # unsorted: candidate order
        return self.collection._sorted_page(self._spec, self._sort, self._projection, count)


def _excludes_top_level(fields):
    return isinstance(fields, dict) and bool(fields) and all(
        value in (0, False) and "." not in key and not key.startswith("$")
        for key, value in fields.items())


def _copied(value):
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    return value


def _reason(exc):
    """What a failed write says about a foreign error: the type only (its message may quote the
    document), and the update operator when one failed."""
    if isinstance(exc, UpdateOperatorFailed):
        return str(exc)
    return f"the write failed ({type(exc).__name__})"


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
        self.strict = journal.strict
        journal.load(self)
        self.purged_at = None
        self.purge_expired()

    def purge_expired(self):
        """What MongoDB's TTL monitor does: delete the documents whose date in a TTL index
        (`expireAfterSeconds`, one field) is that many seconds past. Run when the database is
        opened, so that expired documents never stay loaded, and then at most once a
        TTL_PURGE_SECONDS before a write, MongoDB's own cadence."""
        self.purged_at = time.monotonic()
        now = utcnow()
        for name in self.list_collection_names():
            collection = self.get_collection(name)
            for index in collection.index_information().values():
                if "expireAfterSeconds" in index and len(index["key"]) == 1:
                    cutoff = now - timedelta(seconds=index["expireAfterSeconds"])
                    collection.delete_many({index["key"][0][0]: {"$lte": cutoff}})

    def purge_when_due(self):
        if time.monotonic() - self.purged_at >= TTL_PURGE_SECONDS:
            self.purge_expired()

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

    def __init__(self, path, strict=True):
        self.strict = strict
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
        shared = {}
        for collection, body in self._sql.execute("SELECT collection, body FROM documents"):
            doc = _sharing(bson.decode(body, codec_options=_CODEC), shared)
            db_store[collection]._documents[_store_key(doc["_id"])] = doc
        for collection in db_store.list_created_collection_names():
            col = db_store[collection]
            for index_name in col.indexes:
                col.build_index(index_name)

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
        name = operation.__name__
        with self._mutex:
            if self._depth:
                return operation(*args, **kwargs)
            col_store.touched.clear()
            col_store.dirty.clear()
            col_store.dropped = False
            col_store.tracking = True
            self._depth += 1
            try:
                result = operation(*args, **kwargs)
            except PyMongoError:
                self._settle(name, collection, col_store, keep=name in _MULTI_DOCUMENT)
                raise
            except Exception as exc:
                self._settle(name, collection, col_store, keep=False)
                raise WriteError(f"{name}: {_reason(exc)}.", code=14) from exc
            self._settle(name, collection, col_store, keep=True)
            return result

    def _settle(self, name, collection, col_store, keep):
        """Persist what the operation touched (keep) or put it back as it is on disk."""
        self._depth -= 1
        col_store.tracking = False
        try:
            col_store.settle()
            if keep:
                self._persist(collection.name, col_store)
            else:
                self._restore(collection.name, col_store)
        except (sqlite3.Error, InvalidDocument, UnicodeError, OverflowError) as exc:
            # What is not on disk must not be visible either.
            self._restore(collection.name, col_store)
            too_large = isinstance(exc, DocumentTooLarge)
            raise WriteError(f"{name}: the change cannot be stored ({type(exc).__name__}).",
                             code=10334 if too_large else 2) from exc
        finally:
            col_store.touched.clear()
            col_store.dirty.clear()

    def _restore(self, name, col_store):
        for doc_id in col_store.touched:
            row = self._sql.execute("SELECT body FROM documents WHERE collection = ? AND key = ?",
                                    (name, _key_bytes(doc_id))).fetchone()
            if row is None:
                if doc_id in col_store._documents:
                    del col_store._documents[doc_id]
            else:
                col_store._documents[doc_id] = bson.decode(row[0], codec_options=_CODEC)
        col_store.dirty |= col_store.touched
        col_store.settle()

    def _persist(self, name, col_store):
        # Encode first: a document BSON refuses must fail before the transaction starts.
        rows = []
        for doc_id in col_store.touched:
            doc = col_store._documents.get(doc_id)
            body = None if doc is None else bson.encode(doc)
            if self.strict and body is not None and len(body) > MAX_DOCUMENT_BYTES:
                raise DocumentTooLarge(f"A document of {len(body)} bytes; MongoDB keeps "
                                       f"{MAX_DOCUMENT_BYTES} at most.")
            rows.append((_key_bytes(doc_id), body))
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


def open_embedded_database(path, name, strict=True):
    """The database `name` stored in the SQLite file at `path` (a pathlib.Path). `strict` refuses
    what MongoDB refuses (see embedded_strict); off, the store answers as mongomock does."""
    return EmbeddedDatabase(mongomock.MongoClient(), name, Journal(path, strict))
