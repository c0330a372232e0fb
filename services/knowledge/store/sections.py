"""Sections of the knowledge base: a tree per account."""
import uuid

from services.shared.clock import utcnow
from services.shared.errors import NotFound, ValidationFailed
from services.shared.paging import fetch_page


class SectionStore:
    def __init__(self, db):
        self.sections = db.sections

    @staticmethod
    def create_indexes(db):
        db.sections.create_index([("account_id", 1), ("parent_id", 1)])
        db.sections.create_index([("account_id", 1), ("name", 1)])

    def get(self, account_id, section_id):
        section = self.sections.find_one({"_id": section_id, "account_id": account_id})
        if section is None:
            raise NotFound(f"No section {section_id}.")
        return section

    def require(self, account_id, section_id, field):
        if section_id is not None and not self.sections.find_one(
                {"_id": section_id, "account_id": account_id}, {"_id": 1}):
            raise ValidationFailed.from_fields(
                {field: [f"No section {section_id} in this account."]})

    def subtree(self, account_id, section_id):
        """The section's id and those of all sections below it."""
        found, level = [section_id], [section_id]
        while level:
            level = [doc["_id"] for doc in self.sections.find(
                {"account_id": account_id, "parent_id": {"$in": level}}, {"_id": 1})
                if doc["_id"] not in found]
            found += level
        return found

    def create(self, account_id, data):
        self.require(account_id, data["parent_id"], "parent_id")
        now = utcnow()
        section = dict(data, _id=uuid.uuid4().hex, account_id=account_id, created_at=now,
                       updated_at=now)
        self.sections.insert_one(section)
        return section

    def replace(self, account_id, section_id, data):
        self.get(account_id, section_id)
        self.require(account_id, data["parent_id"], "parent_id")
        if data["parent_id"] in self.subtree(account_id, section_id):
            raise ValidationFailed.from_fields(
                {"parent_id": ["A section cannot be moved under itself or its subsections."]})
        self.sections.update_one({"_id": section_id, "account_id": account_id},
                                 {"$set": dict(data, updated_at=utcnow())})
        return self.get(account_id, section_id)

    def list(self, account_id, query):
        scope = {"account_id": account_id}
        if "parent_id" in query:
            scope["parent_id"] = query["parent_id"]
        return fetch_page(self.sections, scope, "name", False, query.get("cursor"), query["limit"])
