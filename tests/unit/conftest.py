"""Fixtures the unit tests share: databases in a temporary folder (or on the MongoDB that
MONGO_URL names), dropped or closed afterwards."""
import uuid

import pytest

from services.shared import settings
from services.shared.embedded import open_embedded_database
from services.shared.storage import open_database


class EmbeddedFiles:
    """Opens embedded databases under one temporary folder and closes them all at teardown."""

    def __init__(self, folder):
        self.folder = folder
        self.path = folder / "store.sqlite3"
        self.name = "unit"
        self._opened = []

    def open(self, path=None, name=None, strict=True):
        """`strict=False` answers as plain mongomock does, for the tests that compare with it."""
        db = open_embedded_database(path or self.path, name or self.name, strict=strict)
        self._opened.append(db)
        return db

    def close(self, db):
        db.journal.close()
        self._opened.remove(db)

    def reopen(self, db, path=None, name=None):
        """What a restarted process sees: close `db` and open the same file again."""
        self.close(db)
        return self.open(path, name, strict=db.strict)

    def close_all(self):
        for db in list(self._opened):
            self.close(db)


@pytest.fixture
def files(tmp_path):
    opened = EmbeddedFiles(tmp_path)
    yield opened
    opened.close_all()


@pytest.fixture
def db(request, files, monkeypatch):
    """The database a store test works on: a throwaway one on the MongoDB of MONGO_URL when it is
    set, the strict embedded engine otherwise. Tests marked `engine` (the engine's own) always get
    the engine."""
    if not settings.mongo_url() or request.node.get_closest_marker("engine"):
        yield files.open()
        return
    monkeypatch.setenv("MONGO_DB_PREFIX", f"test_{uuid.uuid4().hex[:12]}_")
    database = open_database("unit")
    yield database
    database.client.drop_database(database.name)
