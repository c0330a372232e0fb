"""Each service's own database: a real MongoDB when MONGO_URL is set, else the embedded store.

`StoreProvider` is the nameko DependencyProvider a service declares. It opens the database once in
`setup()`, creates the store's indexes at start, and hands each worker a store object with domain
verbs.
"""
import logging

import pymongo
from nameko.extensions import DependencyProvider

from services.shared import settings
from services.shared.embedded import open_embedded_database

log = logging.getLogger(__name__)

_clients = {}
_embedded = {}


def open_database(service_name):
    """The pymongo-API `Database` that service `service_name` owns."""
    name = f"{settings.mongo_db_prefix()}{service_name}"
    url = settings.mongo_url()
    if url:
        if url not in _clients:
            # Plain mongodb:// URIs only: mongodb+srv:// needs dnspython, which is not eventlet-safe.
            _clients[url] = pymongo.MongoClient(url, tz_aware=False, serverSelectionTimeoutMS=5000)
        return _clients[url][name]
    path = settings.data_dir() / f"{name}.sqlite3"
    # One Journal per file and process: every provider of the service shares it.
    if path not in _embedded:
        log.info("embedded store", extra={"path": str(path)})
        _embedded[path] = open_embedded_database(path, name, strict=settings.embedded_strict())
    return _embedded[path]


class PartedStore:
    """A service's `Store` made of one part per collection group over the same database: a
    subclass names its parts in PARTS ({attribute: part class}); each part class takes the
    database and declares its own indexes."""

    PARTS = {}

    def __init__(self, db):
        self.db = db
        for name, part in self.PARTS.items():
            setattr(self, name, part(db))

    @classmethod
    def create_indexes(cls, db):
        for part in cls.PARTS.values():
            part.create_indexes(db)


class StoreProvider(DependencyProvider):
    """Gives workers `store_class(database)`, or the Database itself for a service with no store yet.

    `store_class.create_indexes(database)` runs once at container start. A store that keeps
    something in memory for the whole process (a cache every worker must see) defines
    `shared_state(database)`, also called once; workers then get `store_class(database, state)`.
    """

    def __init__(self, service_name, store_class=None):
        self.service_name = service_name
        self.store_class = store_class

    def setup(self):
        self.database = open_database(self.service_name)
        self.shared = ()
        if self.store_class is not None:
            self.store_class.create_indexes(self.database)
            if hasattr(self.store_class, "shared_state"):
                self.shared = (self.store_class.shared_state(self.database),)

    def get_dependency(self, worker_ctx):
        if self.store_class is None:
            return self.database
        return self.store_class(self.database, *self.shared)
