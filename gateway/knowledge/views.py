"""/api/v1/kb: sections, articles, search, the synonym dictionary, suggestions and the deflection
report, translated into
knowledge-service RPC; and /api/v1/tickets/{id}/answers, answering a ticket with an article
(the orchestration is in answers.py)."""
from flask import make_response
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call as call_service
from gateway.calls import respond, respond_page
from gateway.knowledge.answers import answer_with_article
from gateway.partial_updates import patching, replace_patched, replacing
from services.knowledge.schemas import (AnswerRequestSchema, AnswerSchema, ArticleFeedbackSchema,
                                        ArticleFeedbackWriteSchema, ArticlePageSchema,
                                        ArticleQuerySchema, ArticleSchema,
                                        ArticleVersionListSchema, ArticleWriteSchema,
                                        DeflectionQuerySchema, DeflectionReportSchema,
                                        SearchQuerySchema, SearchResultSchema, SectionPageSchema,
                                        SectionQuerySchema, SectionSchema, SectionWriteSchema,
                                        SuggestionOpenedSchema, SuggestionOutcomeSchema,
                                        SuggestionRecordSchema, SuggestionRequestSchema,
                                        SuggestionSchema, SynonymPageSchema, SynonymQuerySchema,
                                        SynonymSchema, SynonymWriteSchema)

# The prefix is /api/v1 (not /api/v1/kb) so that answering a ticket with an article can live at
# /api/v1/tickets/{id}/answers next to the other knowledge routes.
blp = Blueprint("knowledge", __name__, url_prefix="/api/v1",
                description="Knowledge base: sections, articles with versions, search, "
                            "suggestions, deflection, answering tickets with articles.")

# Built once; used to re-dump loaded input as JSON for the service, which validates again.
SECTION_WRITE, SECTION_QUERY = SectionWriteSchema(), SectionQuerySchema()
ARTICLE_WRITE, ARTICLE_QUERY, SEARCH_QUERY = (ArticleWriteSchema(), ArticleQuerySchema(),
                                              SearchQuerySchema())
SUGGESTION_REQUEST, SUGGESTION_OPENED, SUGGESTION_OUTCOME = (
    SuggestionRequestSchema(), SuggestionOpenedSchema(), SuggestionOutcomeSchema())
DEFLECTION_QUERY, FEEDBACK_WRITE = DeflectionQuerySchema(), ArticleFeedbackWriteSchema()
SECTION_REPLACE, SECTION_PATCH = replacing(SectionWriteSchema), patching(SectionWriteSchema)
ARTICLE_REPLACE, ARTICLE_PATCH = replacing(ArticleWriteSchema), patching(ArticleWriteSchema)
SYNONYM_WRITE, SYNONYM_QUERY = SynonymWriteSchema(), SynonymQuerySchema()


def call(method, *args, **kwargs):
    return call_service("knowledge", method, *args, **kwargs)


@blp.route("/kb/sections")
class Sections(MethodView):
    @blp.arguments(SectionQuerySchema, location="query")
    @blp.response(200, SectionPageSchema)
    def get(self, query):
        """Sections by name; `parent_id` lists one level of the tree."""
        return respond_page(call("list_sections", schema=SECTION_QUERY, data=query), query)

    @blp.arguments(SectionWriteSchema)
    @blp.response(201, SectionSchema)
    def post(self, data):
        """Add a section (admins, dispatchers, agents)."""
        return respond(call("create_section", schema=SECTION_WRITE, data=data), 201)


@blp.route("/kb/sections/<string:section_id>")
class Section(MethodView):
    @blp.response(200, SectionSchema)
    def get(self, section_id):
        """One section."""
        return respond(call("get_section", section_id))

    @blp.arguments(SECTION_REPLACE)
    @blp.response(200, SectionSchema)
    def put(self, data, section_id):
        """Replace a section (never under itself or its subsections): every field is required."""
        return respond(call("replace_section", section_id, schema=SECTION_WRITE, data=data))

    @blp.arguments(SECTION_PATCH)
    @blp.response(200, SectionSchema)
    def patch(self, changes, section_id):
        """Rename or move a section; what is not given stays."""
        return respond(replace_patched("knowledge", "get_section", "replace_section",
                                       (section_id,), changes, SECTION_PATCH, SECTION_WRITE))


@blp.route("/kb/articles")
class Articles(MethodView):
    @blp.arguments(ArticleQuerySchema, location="query")
    @blp.response(200, ArticlePageSchema)
    def get(self, query):
        """Articles, newest change first; contacts see only published articles for clients."""
        return respond_page(call("list_articles", schema=ARTICLE_QUERY, data=query), query)

    @blp.arguments(ArticleWriteSchema)
    @blp.response(201, ArticleSchema)
    def post(self, data):
        """Write an article (version 1); a published one is searchable at once."""
        return respond(call("create_article", schema=ARTICLE_WRITE, data=data), 201)


@blp.route("/kb/articles/<string:article_id>")
class Article(MethodView):
    @blp.response(200, ArticleSchema)
    def get(self, article_id):
        """One article with its body as sanitized HTML."""
        return respond(call("get_article", article_id))

    @blp.arguments(ARTICLE_REPLACE)
    @blp.response(200, ArticleSchema)
    def put(self, data, article_id):
        """Replace an article: a new version; every field is required."""
        return respond(call("replace_article", article_id, schema=ARTICLE_WRITE, data=data))

    @blp.arguments(ARTICLE_PATCH)
    @blp.response(200, ArticleSchema)
    def patch(self, changes, article_id):
        """Change some of an article's fields (publish or archive it, say): a new version."""
        return respond(replace_patched("knowledge", "get_article", "replace_article",
                                       (article_id,), changes, ARTICLE_PATCH, ARTICLE_WRITE))


@blp.route("/kb/articles/<string:article_id>/versions")
class ArticleVersions(MethodView):
    @blp.response(200, ArticleVersionListSchema)
    def get(self, article_id):
        """Every version of the article, newest first, with author and date (editors)."""
        return respond(call("list_article_versions", article_id))


@blp.route("/kb/articles/<string:article_id>/feedback")
class ArticleFeedback(MethodView):
    @blp.response(200, ArticleFeedbackSchema)
    def get(self, article_id):
        """How many readers said the article helped, and how many said it did not (editors)."""
        return respond(call("article_feedback", article_id))

    @blp.arguments(ArticleFeedbackWriteSchema)
    def post(self, data, article_id):
        """Was this helpful: the reader's answer (`helpful`), one per reader; again replaces it."""
        return respond(call("record_article_feedback", article_id, schema=FEEDBACK_WRITE, data=data))


@blp.route("/kb/search")
class Search(MethodView):
    @blp.arguments(SearchQuerySchema, location="query")
    @blp.response(200, SearchResultSchema)
    def get(self, query):
        """Published articles the caller may read, best first, with matched words marked."""
        return respond(call("search", schema=SEARCH_QUERY, data=query))


@blp.route("/kb/synonyms")
class Synonyms(MethodView):
    @blp.arguments(SynonymQuerySchema, location="query")
    @blp.response(200, SynonymPageSchema)
    def get(self, query):
        """The account's own synonym entries by word (admins, dispatchers, agents); the built-in
        lexicon under them is the default."""
        return respond(call("list_synonyms", schema=SYNONYM_QUERY, data=query))


@blp.route("/kb/synonyms/<string:word>")
class Synonym(MethodView):
    @blp.response(200, SynonymSchema)
    def get(self, word):
        """The entry searches apply for `word`: the account's own, else the built-in one."""
        return respond(call("get_synonym", word))

    @blp.arguments(SynonymWriteSchema)
    @blp.response(200, SynonymSchema)
    def put(self, data, word):
        """Set the account's entry for `word` (admins): it replaces the built-in one, and an
        empty `means` switches that off. Applies to the account's next search."""
        return respond(call("put_synonym", word, schema=SYNONYM_WRITE, data=data))

    @blp.response(204)
    def delete(self, word):
        """Remove the account's entry for `word` (admins): the built-in one applies again."""
        call("delete_synonym", word)
        return make_response("", 204)


@blp.route("/kb/suggestions")
class Suggestions(MethodView):
    @blp.arguments(SuggestionRequestSchema)
    @blp.response(201, SuggestionSchema)
    def post(self, data):
        """The best articles for a draft ticket's title and description, recorded as shown."""
        return respond(call("suggest", schema=SUGGESTION_REQUEST, data=data), 201)


@blp.route("/kb/suggestions/<string:suggestion_id>")
class Suggestion(MethodView):
    @blp.response(200, SuggestionRecordSchema)
    def get(self, suggestion_id):
        """One of the caller's own suggestion records."""
        return respond(call("get_suggestion", suggestion_id))


@blp.route("/kb/suggestions/<string:suggestion_id>/opened")
class SuggestionOpened(MethodView):
    @blp.arguments(SuggestionOpenedSchema)
    @blp.response(200, SuggestionRecordSchema)
    def post(self, data, suggestion_id):
        """Record that one of the articles shown was opened (again: no change)."""
        return respond(call("record_suggestion_opened", suggestion_id, schema=SUGGESTION_OPENED,
                            data=data))


@blp.route("/kb/suggestions/<string:suggestion_id>/outcome")
class SuggestionOutcome(MethodView):
    @blp.arguments(SuggestionOutcomeSchema)
    @blp.response(200, SuggestionRecordSchema)
    def post(self, data, suggestion_id):
        """Record whether a ticket was still created (once; a different outcome later is 409)."""
        return respond(call("record_suggestion_outcome", suggestion_id,
                            schema=SUGGESTION_OUTCOME, data=data))


@blp.route("/kb/reports/deflection")
class DeflectionReport(MethodView):
    @blp.arguments(DeflectionQuerySchema, location="query")
    @blp.response(200, DeflectionReportSchema)
    def get(self, query):
        """Suggestions shown, opened, deflected and followed by a ticket, per article and in
        total, for a period (admins, dispatchers)."""
        return respond(call("deflection_report", schema=DEFLECTION_QUERY, data=query))


@blp.route("/tickets/<string:ticket_id>/answers")
class TicketAnswers(MethodView):
    @blp.arguments(AnswerRequestSchema)
    @blp.response(201, AnswerSchema)
    @blp.alt_response(200, schema=AnswerSchema, description="Answered with it before.")
    def post(self, data, ticket_id):
        """Answer the ticket with a published article for all clients: a public comment with
        its title, excerpt and link; 200 and nothing posted if it was answered with it before."""
        answer, status = answer_with_article(ticket_id, data["article_id"])
        return respond(answer, status)
