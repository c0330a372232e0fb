"""Sections: the tree articles are filed in."""
from nameko.rpc import rpc

from services.knowledge.access import reader, writer
from services.knowledge.schemas import SectionQuerySchema, SectionSchema, SectionWriteSchema
from services.shared.errors import EXPECTED
from services.shared.validation import load

SECTION, SECTIONS = SectionSchema(), SectionSchema(many=True)
SECTION_WRITE, SECTION_QUERY = SectionWriteSchema(), SectionQuerySchema()


class SectionEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def list_sections(self, actor, query):
        actor = reader(actor)
        docs, next_cursor = self.store.sections.list(actor.account_id, load(SECTION_QUERY, query))
        return {"items": SECTIONS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_section(self, actor, section_id):
        actor = reader(actor)
        return SECTION.dump(self.store.sections.get(actor.account_id, str(section_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_section(self, actor, data):
        actor = writer(actor)
        section = SECTION.dump(self.store.sections.create(actor.account_id,
                                                          load(SECTION_WRITE, data)))
        self._audit_section(actor, "kb_section.created", section)
        return section

    @rpc(expected_exceptions=EXPECTED)
    def replace_section(self, actor, section_id, data):
        actor = writer(actor)
        section = SECTION.dump(self.store.sections.replace(actor.account_id, str(section_id),
                                                           load(SECTION_WRITE, data)))
        self._audit_section(actor, "kb_section.updated", section)
        return section

    def _audit_section(self, actor, action, section):
        self.audit(actor, action, "kb_section", section["id"], name=section.get("name"),
                   parent_id=section.get("parent_id"))
