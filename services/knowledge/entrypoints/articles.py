"""Articles: write (every write is a version), read in the actor's scope, search."""
from nameko.rpc import rpc
from nameko.timer import timer

from services.knowledge import searching
from services.knowledge.excerpts import excerpt
from services.knowledge.access import reader, writer
from services.knowledge.schemas import (ArticleQuerySchema, ArticleSchema, ArticleVersionSchema,
                                        ArticleWriteSchema, SearchHitSchema, SearchQuerySchema)
from services.shared.errors import EXPECTED
from services.shared.events import announce
from services.shared.validation import load

ARTICLE, ARTICLES = ArticleSchema(), ArticleSchema(many=True)
ARTICLE_WRITE, ARTICLE_QUERY = ArticleWriteSchema(), ArticleQuerySchema()
OUTBOX_RELAY_SECONDS = 2
WARM_INDEX_SECONDS = 300
VERSIONS, SEARCH_QUERY, HITS = (ArticleVersionSchema(many=True), SearchQuerySchema(),
                                SearchHitSchema(many=True))


class ArticleEntrypoints:
    def _checked_article(self, actor, data):
        data = load(ARTICLE_WRITE, data)
        self.store.sections.require(actor.account_id, data["section_id"], "section_id")
        return data

    def _announced(self, article):
        announce(self.store.articles.publish_pending, self.dispatch, article, self.name)
        return article

    def _one(self, article):
        """One article as answered alone: with its excerpt and how many tickets it answered."""
        return ARTICLE.dump(dict(article, excerpt=excerpt(article),
                                 answered_tickets=self.store.answers.count(article["account_id"],
                                                                        article["_id"])))

    @rpc(expected_exceptions=EXPECTED)
    def list_articles(self, actor, query):
        actor = reader(actor)
        docs, next_cursor = self.store.articles.list_readable(actor, load(ARTICLE_QUERY, query))
        return {"items": ARTICLES.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_article(self, actor, article_id):
        actor = reader(actor)
        return self._one(self.store.articles.readable(actor, str(article_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_article(self, actor, data):
        actor = writer(actor)
        data = self._checked_article(actor, data)
        article = self._one(self._announced(
            self.store.articles.create(actor.account_id, actor.as_reference(), data)))
        self._audit_article(actor, "kb_article.created", article)
        return article

    @rpc(expected_exceptions=EXPECTED)
    def replace_article(self, actor, article_id, data):
        actor = writer(actor)
        data = self._checked_article(actor, data)
        article = self._one(self._announced(self.store.articles.replace(
            actor.account_id, str(article_id), actor.as_reference(), data)))
        self._audit_article(actor, "kb_article.updated", article)
        return article

    def _audit_article(self, actor, action, article):
        # The text has its versions; the entry says who set where it is and who may read it.
        self.audit(actor, action, "kb_article", article["id"], section_id=article.get("section_id"),
                   state=article.get("state"), visibility=article.get("visibility"),
                   client_categories=article.get("client_categories", []),
                   service_levels=article.get("service_levels", []))

    @rpc(expected_exceptions=EXPECTED)
    def list_article_versions(self, actor, article_id):
        actor = writer(actor)
        return {"items": VERSIONS.dump(self.store.articles.history(actor.account_id,
                                                                 str(article_id)))}

    @rpc(expected_exceptions=EXPECTED)
    def search(self, actor, query):
        actor = reader(actor)
        return {"items": HITS.dump(searching.search(self.store, actor, load(SEARCH_QUERY, query)))}

    @timer(interval=OUTBOX_RELAY_SECONDS)
    def relay_outbox(self):
        self.store.articles.relay(self.dispatch, self.name)

    @timer(interval=WARM_INDEX_SECONDS, eager=True)
    def warm_search_indexes(self):
        """Load the search indexes when the service starts, rather than at a client's first
        search (seconds for an account with thousands of articles), and keep them close to
        current where nobody searches."""
        self.store.articles.index.warm()
