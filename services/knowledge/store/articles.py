"""Articles with their versions; each write reindexes the article (search_index.py) and a
publication carries its announcement in the article's outbox."""
import uuid

import pymongo

from services.knowledge import announcements
from services.knowledge.access import CLIENT_WIDE, Visitor
from services.knowledge.rendering import render_html
from services.knowledge.store.search_index import SearchIndex
from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound
from services.shared.events import create_outbox_index, publish_outbox, relay_outbox
from services.shared.paging import fetch_page

VERSIONED = ("title", "body", "section_id", "tags", "equipment_kinds", "state", "visibility",
             "client_categories", "service_levels")


def audience_filter(actor):
    """The clause on an article's audience that a contact's company satisfies."""
    chosen = []
    if actor.client_category:
        chosen.append({"client_categories": actor.client_category})
    if actor.service_levels:
        chosen.append({"service_levels": {"$in": list(actor.service_levels)}})
    return {"$or": [{"visibility": {"$in": list(CLIENT_WIDE)}}]
            + [{"visibility": "categories", **clause} for clause in chosen]}


def read_scope(actor):
    """The filter on `articles` of what the actor may read (access.may_read_published is the
    same rule for a search index entry)."""
    scope = {"account_id": actor.account_id}
    if isinstance(actor, Visitor):
        scope.update(state="published", visibility="public")
    elif actor.is_contact:
        scope.update(state="published", **audience_filter(actor))
    return scope


class ArticleStore:
    def __init__(self, db, indexes):
        self.articles, self.versions = db.articles, db.article_versions
        self.index = SearchIndex(db, indexes)

    @staticmethod
    def create_indexes(db):
        db.articles.create_index([("account_id", 1), ("updated_at", -1)])
        db.articles.create_index([("account_id", 1), ("section_id", 1)])
        db.article_versions.create_index([("article_id", 1), ("version", 1)], unique=True)
        create_outbox_index(db.articles)
        SearchIndex.create_indexes(db)

    def get(self, scope, article_id):
        article = self.articles.find_one({**scope, "_id": article_id})
        if article is None:
            raise NotFound(f"No article {article_id}.")
        return article

    def readable(self, actor, article_id):
        """The article if `actor` may read it; NotFound otherwise, as for one that does not exist."""
        return self.get(read_scope(actor), article_id)

    def list_readable(self, actor, query):
        return self.list(read_scope(actor), query)

    def list(self, scope, query):
        scope = dict(scope)
        if "section_id" in query:
            scope["section_id"] = query["section_id"]
        if "state" in query:
            if scope.get("state", query["state"]) != query["state"]:
                return [], None  # a contact asking for drafts or the archive
            scope["state"] = query["state"]
        if "tag" in query:
            scope["tags"] = query["tag"]
        return fetch_page(self.articles, scope, "updated_at", True, query.get("cursor"),
                          query["limit"])

    def _record_version(self, article, author):
        self.versions.insert_one({
            "_id": f"{article['_id']}|{article['version']}", "article_id": article["_id"],
            "account_id": article["account_id"], "version": article["version"], "author": author,
            "created_at": article["updated_at"], **{key: article[key] for key in VERSIONED}})

    def create(self, account_id, author, data):
        now = utcnow()
        article = dict(data, _id=uuid.uuid4().hex, account_id=account_id,
                       body_html=render_html(data["body"]), version=1, created_by=author,
                       updated_by=author, created_at=now, updated_at=now,
                       published_at=now if data["state"] == "published" else None)
        if article["state"] == "published":
            # The announcement is written with the article: neither exists without the other.
            article.update(outbox=[announcements.article_published(article, author)],
                           outbox_pending=True)
        self.articles.insert_one(article)
        self._record_version(article, author)
        self.index.put(article)
        return article

    def replace(self, account_id, article_id, author, data):
        current = self.get({"account_id": account_id}, article_id)
        now = utcnow()
        published_at = current.get("published_at")
        publishing = data["state"] == "published" and current["state"] != "published"
        if publishing:
            published_at = now
        changes = dict(data, body_html=render_html(data["body"]), version=current["version"] + 1,
                       updated_by=author, updated_at=now, published_at=published_at)
        update = {"$set": changes}
        if publishing:
            entry = announcements.article_published(dict(current, **changes), author)
            update = {"$set": dict(changes, outbox_pending=True), "$push": {"outbox": entry}}
        # Applied only over the version that was read: of two edits at once, one wins.
        applied = self.articles.update_one(
            {"_id": article_id, "account_id": account_id, "version": current["version"]}, update)
        if not applied.matched_count:
            raise Conflict("The article changed meanwhile; reload it and try again.",
                           {"field": "version"})
        article = dict(current, **changes)
        if publishing:
            article["outbox"] = current.get("outbox", []) + [entry]
        self._record_version(article, author)
        self.index.put(article)
        return article

    def publish_pending(self, dispatch, article, service_name):
        publish_outbox(dispatch, self.articles, article["_id"], article.get("outbox", []),
                       service_name)

    def relay(self, dispatch, service_name):
        relay_outbox(dispatch, self.articles, service_name)

    def titles(self, account_id, article_ids):
        """Article id -> title, for those of `article_ids` in the account."""
        return {doc["_id"]: doc["title"] for doc in self.articles.find(
            {"account_id": account_id, "_id": {"$in": list(article_ids)}}, {"title": 1})}

    def history(self, account_id, article_id):
        self.get({"account_id": account_id}, article_id)
        return list(self.versions.find({"article_id": article_id, "account_id": account_id})
                    .sort("version", pymongo.DESCENDING))
