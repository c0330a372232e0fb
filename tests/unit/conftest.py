"""Fixtures the unit tests share: embedded databases in a temporary folder, closed afterwards."""
import pytest

from services.shared.embedded import open_embedded_database


class EmbeddedFiles:
    """Opens embedded databases under one temporary folder and closes them all at teardown."""

    def __init__(self, folder):
        self.folder = folder
        self.path = folder / "store.sqlite3"
        self.name = "unit"
        self._opened = []

    def open(self, path=None, name=None):
        db = open_embedded_database(path or self.path, name or self.name)
        self._opened.append(db)
        return db

    def close(self, db):
        db.journal.close()
        self._opened.remove(db)

    def reopen(self, db, path=None, name=None):
        """What a restarted process sees: close `db` and open the same file again."""
        self.close(db)
        return self.open(path, name)

    def close_all(self):
        for db in list(self._opened):
            self.close(db)


@pytest.fixture
def files(tmp_path):
    opened = EmbeddedFiles(tmp_path)
    yield opened
    opened.close_all()


@pytest.fixture
def db(files):
    return files.open()
