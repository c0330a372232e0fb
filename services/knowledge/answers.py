"""Tickets answered with an article: one relation per ticket and article, in the account.

The relation names the public comment that carried the article. Recording is idempotent: the
same ticket and article again changes nothing and answers the relation already stored.
"""
import re

import pymongo

from services.knowledge.rendering import plain_text
from services.shared.clock import utcnow

EXCERPT_CHARS = 300


def excerpt(article, limit=EXCERPT_CHARS):
    """The start of the article's body as plain text, cut at a word, with … when cut."""
    # plain_text spaces out inline markup ("**word**." -> "word ."): close it up for reading.
    text = re.sub(r"\s+([.,;:!?)»])", r"\1", plain_text(article.get("body", "")))
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + "…"


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
