"""The account's synonym dictionary: read by editors, changed by admins, applied by every search
of the account at its next query (store/synonyms.py, synonyms.py)."""
from nameko.rpc import rpc

from services.knowledge import synonyms
from services.knowledge.access import synonym_editor, writer
from services.knowledge.schemas import SynonymQuerySchema, SynonymSchema, SynonymWriteSchema
from services.shared.errors import EXPECTED
from services.shared.validation import load

ENTRY, ENTRIES = SynonymSchema(), SynonymSchema(many=True)
WRITE, QUERY = SynonymWriteSchema(), SynonymQuerySchema()


class SynonymEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def list_synonyms(self, actor, query):
        actor = writer(actor)
        query = load(QUERY, query)
        entries, next_cursor = self.store.synonyms.page(actor.account_id, query["limit"],
                                                        query.get("cursor"))
        return {"items": ENTRIES.dump([dict(entry, source="account") for entry in entries]),
                "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_synonym(self, actor, word):
        actor = writer(actor)
        word = synonyms.checked_word(word)
        return ENTRY.dump(synonyms.effective(self.store.synonyms.entries(actor.account_id), word))

    @rpc(expected_exceptions=EXPECTED)
    def put_synonym(self, actor, word, data):
        actor = synonym_editor(actor)
        word = synonyms.checked_word(word)
        means = synonyms.checked_meanings(load(WRITE, data)["means"])
        entry = self.store.synonyms.put(actor.account_id, word, means, actor.as_reference())
        return ENTRY.dump(dict(entry, source="account"))

    @rpc(expected_exceptions=EXPECTED)
    def delete_synonym(self, actor, word):
        actor = synonym_editor(actor)
        self.store.synonyms.remove(actor.account_id, synonyms.checked_word(word))
        return None
