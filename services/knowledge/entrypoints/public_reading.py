"""What a client portal shows to somebody who has not signed in: the account's published
`public` articles, listed, one by one and searched, with the same search as everybody's. The
gateway names the account (from the portal's address, through tickets.portal_brand); anything
else is NotFound, as for an unknown id."""
from nameko.rpc import rpc

from services.knowledge import searching
from services.knowledge.access import Visitor
from services.knowledge.entrypoints.articles import ARTICLE_QUERY, ARTICLES, HITS, SEARCH_QUERY
from services.shared.errors import EXPECTED, ValidationFailed
from services.shared.validation import load


def visitor(account_id):
    if not isinstance(account_id, str) or not 0 < len(account_id) <= 64:
        raise ValidationFailed.from_fields({"account_id": ["An account's id."]})
    return Visitor(account_id)


class PublicReadingEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def public_articles(self, account_id, query):
        docs, next_cursor = self.store.articles.list_readable(visitor(account_id),
                                                              load(ARTICLE_QUERY, query))
        return {"items": ARTICLES.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def public_article(self, account_id, article_id):
        return self._one(self.store.articles.readable(visitor(account_id), str(article_id)))

    @rpc(expected_exceptions=EXPECTED)
    def public_search(self, account_id, query):
        query = load(SEARCH_QUERY, query)
        return {"items": HITS.dump(searching.search(self.store, visitor(account_id), query))}
