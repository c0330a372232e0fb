"""Readers' "was this helpful" on articles: one answer per reader and article (a second answer
replaces the first), counted per article for the people who write the base."""
from services.shared.clock import utcnow


class ArticleFeedbackStore:
    def __init__(self, db):
        self.feedback = db.article_feedback

    @staticmethod
    def create_indexes(db):
        db.article_feedback.create_index(
            [("account_id", 1), ("article_id", 1), ("actor.kind", 1), ("actor.id", 1)], unique=True)

    def record(self, actor, article_id, helpful):
        key = {"account_id": actor.account_id, "article_id": article_id,
               "actor": {"kind": actor.kind, "id": actor.id}}
        self.feedback.update_one({"account_id": actor.account_id, "article_id": article_id,
                                  "actor.kind": actor.kind, "actor.id": actor.id},
                                 {"$set": {"helpful": helpful, "answered_at": utcnow()},
                                  "$setOnInsert": key}, upsert=True)

    def counts(self, account_id, article_id):
        base = {"account_id": account_id, "article_id": article_id}
        return {"helpful": self.feedback.count_documents(dict(base, helpful=True)),
                "not_helpful": self.feedback.count_documents(dict(base, helpful=False))}
