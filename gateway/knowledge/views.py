"""/api/v1/kb: sections, articles and search, translated into knowledge-service RPC."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call as call_service
from gateway.calls import respond
from services.knowledge.schemas import (ArticlePageSchema, ArticleQuerySchema, ArticleSchema,
                                        ArticleVersionListSchema, ArticleWriteSchema,
                                        SearchQuerySchema, SearchResultSchema, SectionPageSchema,
                                        SectionQuerySchema, SectionSchema, SectionWriteSchema)

blp = Blueprint("knowledge", __name__, url_prefix="/api/v1/kb",
                description="Knowledge base: sections, articles with versions, search.")

# Built once; used to re-dump loaded input as JSON for the service, which validates again.
SECTION_WRITE, SECTION_QUERY = SectionWriteSchema(), SectionQuerySchema()
ARTICLE_WRITE, ARTICLE_QUERY, SEARCH_QUERY = (ArticleWriteSchema(), ArticleQuerySchema(),
                                              SearchQuerySchema())


def call(method, *args, **kwargs):
    return call_service("knowledge", method, *args, **kwargs)


@blp.route("/sections")
class Sections(MethodView):
    @blp.arguments(SectionQuerySchema, location="query")
    @blp.response(200, SectionPageSchema)
    def get(self, query):
        """Sections by name; `parent_id` lists one level of the tree."""
        return respond(call("list_sections", schema=SECTION_QUERY, data=query))

    @blp.arguments(SectionWriteSchema)
    @blp.response(201, SectionSchema)
    def post(self, data):
        """Add a section (admins, dispatchers, agents)."""
        return respond(call("create_section", schema=SECTION_WRITE, data=data), 201)


@blp.route("/sections/<string:section_id>")
class Section(MethodView):
    @blp.response(200, SectionSchema)
    def get(self, section_id):
        """One section."""
        return respond(call("get_section", section_id))

    @blp.arguments(SectionWriteSchema)
    @blp.response(200, SectionSchema)
    def put(self, data, section_id):
        """Rename or move a section (never under itself or its subsections)."""
        return respond(call("replace_section", section_id, schema=SECTION_WRITE, data=data))


@blp.route("/articles")
class Articles(MethodView):
    @blp.arguments(ArticleQuerySchema, location="query")
    @blp.response(200, ArticlePageSchema)
    def get(self, query):
        """Articles, newest change first; contacts see only published articles for clients."""
        return respond(call("list_articles", schema=ARTICLE_QUERY, data=query))

    @blp.arguments(ArticleWriteSchema)
    @blp.response(201, ArticleSchema)
    def post(self, data):
        """Write an article (version 1); a published one is searchable at once."""
        return respond(call("create_article", schema=ARTICLE_WRITE, data=data), 201)


@blp.route("/articles/<string:article_id>")
class Article(MethodView):
    @blp.response(200, ArticleSchema)
    def get(self, article_id):
        """One article with its body as sanitized HTML."""
        return respond(call("get_article", article_id))

    @blp.arguments(ArticleWriteSchema)
    @blp.response(200, ArticleSchema)
    def put(self, data, article_id):
        """Replace an article: a new version; publishing, archiving and editing all go here."""
        return respond(call("replace_article", article_id, schema=ARTICLE_WRITE, data=data))


@blp.route("/articles/<string:article_id>/versions")
class ArticleVersions(MethodView):
    @blp.response(200, ArticleVersionListSchema)
    def get(self, article_id):
        """Every version of the article, newest first, with author and date (editors)."""
        return respond(call("list_article_versions", article_id))


@blp.route("/search")
class Search(MethodView):
    @blp.arguments(SearchQuerySchema, location="query")
    @blp.response(200, SearchResultSchema)
    def get(self, query):
        """Published articles the caller may read, best first, with matched words marked."""
        return respond(call("search", schema=SEARCH_QUERY, data=query))
