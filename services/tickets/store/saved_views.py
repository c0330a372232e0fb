"""Saved views of the queue: a person's named filter sets (issue 14, point 2).

A view belongs to one employee of one account, and only that person reaches it (not even the
account's admins: it is a preference, not account data); a client contact keeps none. The
filters are a ticket list query without its page (saved_view_schemas.py), stored as dumped JSON
and loaded again when the view is listed or counted, so a view always means what the list means.
"""
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Forbidden, NotFound, ValidationFailed
from services.tickets.names import name_key

MAX_VIEWS = 50  # per person: the queue shows them all, each with its count, in one call


def owner(actor):
    """The selector of the views the actor may reach: its own."""
    if actor.kind != "employee":
        raise Forbidden("Only employees keep saved views.")
    return {"account_id": actor.account_id, "employee_id": actor.id}


class SavedViewStore:
    def __init__(self, db):
        self.views = db.saved_views

    @staticmethod
    def create_indexes(db):
        db.saved_views.create_index([("account_id", 1), ("employee_id", 1), ("name_key", 1)],
                                    unique=True)

    def list(self, actor):
        return list(self.views.find(owner(actor)).sort("name_key", 1).limit(MAX_VIEWS))

    def get(self, actor, view_id):
        view = self.views.find_one(dict(owner(actor), _id=view_id))
        if view is None:
            raise NotFound(f"No saved view {view_id}.")
        return view

    def create(self, actor, name, filters):
        mine = owner(actor)
        if self.views.count_documents(mine) >= MAX_VIEWS:
            raise ValidationFailed.from_fields(
                {"name": ["Too many saved views: delete one first."]})
        view = dict(mine, _id=uuid.uuid4().hex, name=name, name_key=name_key(name),
                    filters=filters, created_at=utcnow())
        try:
            self.views.insert_one(view)
        except DuplicateKeyError:
            raise ValidationFailed.from_fields(
                {"name": ["You already have a saved view with this name."]}) from None
        return view

    def delete(self, actor, view_id):
        if not self.views.delete_one(dict(owner(actor), _id=view_id)).deleted_count:
            raise NotFound(f"No saved view {view_id}.")
