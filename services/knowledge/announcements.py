"""Payloads of the events the knowledge service emits (`article_published`), built with the
schemas in schemas.py so that what consumers receive is what the contract names."""
from services.knowledge.schemas import ArticlePublishedEventSchema
from services.shared.events import outbox_entry

ARTICLE_PUBLISHED = ArticlePublishedEventSchema()


def article_published(article, author):
    """The outbox entry announcing that `article` (as stored after the write) was published."""
    return outbox_entry("article_published", ARTICLE_PUBLISHED.dump({
        "occurred_at": article["published_at"], "account_id": article["account_id"],
        "published_by": author, "article": article}))
