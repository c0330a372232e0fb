"""The knowledge database: sections, articles with their versions, the search index, and (in
suggestions.py and answers.py) suggestion records and answer relations."""
import uuid

import pymongo

from services.knowledge import announcements
from services.knowledge.answers import AnswerStore
from services.knowledge.rendering import render_html
from services.knowledge.search_index import AccountIndexes, SearchIndex
from services.knowledge.suggestions import SuggestionStore
from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.events import create_outbox_index, publish_outbox, relay_outbox
from services.shared.paging import fetch_page

VERSIONED = ("title", "body", "section_id", "tags", "equipment_kinds", "state", "visibility",
             "client_categories", "service_levels")


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

    def history(self, account_id, article_id):
        self.get({"account_id": account_id}, article_id)
        return list(self.versions.find({"article_id": article_id, "account_id": account_id})
                    .sort("version", pymongo.DESCENDING))


class KnowledgeBase:
    """What the service's workers get: the knowledge database's stores. `indexes` are the
    process's in-memory search indexes, shared by every worker (`shared_state`)."""

    def __init__(self, db, indexes=None):
        self.sections = SectionStore(db)
        self.articles = ArticleStore(db, indexes if indexes is not None else AccountIndexes())
        self.suggestions = SuggestionStore(db)
        self.answers = AnswerStore(db)

    @staticmethod
    def shared_state(db):
        return AccountIndexes()

    @staticmethod
    def create_indexes(db):
        SectionStore.create_indexes(db)
        ArticleStore.create_indexes(db)
        SuggestionStore.create_indexes(db)
        AnswerStore.create_indexes(db)
