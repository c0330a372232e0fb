"""Tickets answered with an article: one relation per ticket and article, in the account.

The relation names the public comment that carried the article. Recording is idempotent: the
same ticket and article again changes nothing and answers the relation already stored.
"""
import pymongo

from services.shared.clock import utcnow


class AnswerStore:
    def __init__(self, db):
        self.answers = db.article_answers

    @staticmethod
    def create_indexes(db):
        db.article_answers.create_index(
            [("account_id", 1), ("ticket_id", 1), ("article_id", 1)], unique=True)
        db.article_answers.create_index([("account_id", 1), ("article_id", 1)])

    def find(self, account_id, ticket_id, article_id):
        return self.answers.find_one({"account_id": account_id, "ticket_id": ticket_id,
                                      "article_id": article_id})

    def record(self, account_id, author, article_id, ticket_id, comment_id):
        """(relation, created): the stored relation; `created` is False when it existed."""
        key = {"account_id": account_id, "ticket_id": ticket_id, "article_id": article_id}
        try:
            result = self.answers.update_one(key, {"$setOnInsert": {
                "comment_id": comment_id, "answered_by": author, "answered_at": utcnow()}},
                upsert=True)
            created = result.upserted_id is not None
        except pymongo.errors.DuplicateKeyError:  # the same answer recorded at the same moment
            created = False
        return self.find(account_id, ticket_id, article_id), created

    def count(self, account_id, article_id):
        """How many tickets the article answered."""
        return self.answers.count_documents({"account_id": account_id, "article_id": article_id})
