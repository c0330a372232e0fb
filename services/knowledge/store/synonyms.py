"""An account's own synonym entries (synonyms.py lays them over the built-in lexicon).

`synonyms` holds one document per account: its entries (`word`, `means`, `updated_at`,
`updated_by`) and a `version` that every change raises. A change is one conditional write over
the version it read, so two admins editing at once never lose an entry, and the whole dictionary
changes at once or not at all. Each process keeps every account's compiled `Lexicon` with the
version it was built from and, at each search, reads only that version (one small lookup by id)
to know whether to rebuild it: an edit applies at the next search in every replica.
"""
from pymongo.errors import DuplicateKeyError

from services.knowledge import synonyms
from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import decode_cursor, encode_cursor

ATTEMPTS = 5
ORDER = "word"


class SynonymStore:
    def __init__(self, db, memory):
        self.docs, self.memory = db.synonyms, memory

    @staticmethod
    def create_indexes(db):
        """Documents are read by `_id` (the account) only."""

    def _read(self, account_id):
        return self.docs.find_one({"_id": account_id}) or {"entries": [], "version": 0}

    def page(self, account_id, limit, cursor=None):
        """Up to `limit` entries after `cursor`, by word, and the next page's cursor."""
        entries = sorted(self._read(account_id)["entries"], key=lambda entry: entry["word"])
        if cursor:
            after, _ = decode_cursor(cursor, ORDER)
            entries = [entry for entry in entries if entry["word"] > after]
        next_cursor = None
        if len(entries) > limit:
            entries = entries[:limit]
            next_cursor = encode_cursor(entries[-1]["word"], entries[-1]["word"], ORDER)
        return entries, next_cursor

    def entries(self, account_id):
        return self._read(account_id)["entries"]

    def _change(self, account_id, change):
        """Apply `change(entries) -> (entries, result)` over the version read; retried when
        another change came in between."""
        for _ in range(ATTEMPTS):
            held = self._read(account_id)
            entries, result = change(list(held["entries"]))
            try:
                self.docs.update_one(
                    {"_id": account_id, "version": held["version"]},
                    {"$set": {"account_id": account_id, "entries": entries,
                              "version": held["version"] + 1}}, upsert=True)
                return result
            except DuplicateKeyError:
                continue  # the version moved on: read again
        raise Conflict("The synonym dictionary is being changed by someone else; try again.")

    def put(self, account_id, word, means, author):
        """Create or replace the account's entry for `word`."""
        entry = {"word": word, "means": means, "updated_at": utcnow(), "updated_by": author}

        def change(entries):
            kept = [held for held in entries if held["word"] != word]
            if len(kept) >= synonyms.MAX_ENTRIES:
                raise ValidationFailed.from_fields(
                    {"word": [f"An account keeps at most {synonyms.MAX_ENTRIES} entries."]})
            return kept + [entry], None
        self._change(account_id, change)
        return entry

    def remove(self, account_id, word):
        def change(entries):
            kept = [held for held in entries if held["word"] != word]
            if len(kept) == len(entries):
                raise NotFound(f"No synonym entry for {word!r}.")
            return kept, None
        self._change(account_id, change)

    def lexicon(self, account_id):
        """The account's compiled lexicon, rebuilt only when its version moved."""
        held = self.docs.find_one({"_id": account_id}, {"version": 1})
        version = held["version"] if held else 0
        cached = self.memory.lexicons.get(account_id)
        if cached is None or cached[0] != version:
            entries = self._read(account_id)["entries"] if version else []
            cached = self.memory.lexicons[account_id] = (version, synonyms.for_account(entries))
        return cached[1]
