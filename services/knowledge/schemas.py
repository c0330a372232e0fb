"""The knowledge service's public contract: sections, articles, their versions, search and the
account's synonym dictionary.

The gateway validates HTTP input with these schemas (and builds the OpenAPI document from them);
the service validates again, because it trusts no caller.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.page_schemas import MAX_PAGE, page_of
from services.shared.schema_fields import IsoDate, UtcDateTime

STATES = ("draft", "published", "archived")
VISIBILITIES = ("internal", "all_clients", "categories", "public")  # public: also without sign-in
NAME = validate.Length(min=1, max=200)
REFERENCE = validate.Length(min=1, max=64)
LABEL = validate.Length(min=1, max=64)
MAX_BODY = 200_000
MAX_RESULTS = 50


class ReferenceSchema(Schema):
    kind = fields.String()
    id = fields.String()


# -- sections ------------------------------------------------------------------------------------

class SectionWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    parent_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)


class SectionSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    parent_id = fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class SectionQuerySchema(Schema):
    parent_id = fields.String(validate=REFERENCE)
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


# -- articles ------------------------------------------------------------------------------------

class ArticleWriteSchema(Schema):
    """A whole article; every write (create or replace) becomes a new version."""
    title = fields.String(required=True, validate=NAME)
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BODY),
                         metadata={"description": "Markdown; shown as sanitized HTML."})
    section_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    tags = fields.List(fields.String(validate=LABEL), load_default=list,
                       validate=validate.Length(max=50))
    equipment_kinds = fields.List(fields.String(validate=LABEL), load_default=list,
                                  validate=validate.Length(max=50))
    state = fields.String(load_default="draft", validate=validate.OneOf(STATES))
    visibility = fields.String(load_default="internal", validate=validate.OneOf(VISIBILITIES))
    client_categories = fields.List(
        fields.String(validate=LABEL), load_default=list, validate=validate.Length(max=50),
        metadata={"description": "With visibility 'categories': client categories that see it."})
    service_levels = fields.List(
        fields.String(validate=REFERENCE), load_default=list, validate=validate.Length(max=50),
        metadata={"description": "With visibility 'categories': ids of service levels whose "
                                 "clients (by a contract valid today) see it."})

    @validates_schema
    def _audience(self, data, **kwargs):
        chosen = bool(data.get("client_categories") or data.get("service_levels"))
        if data.get("visibility") == "categories" and not chosen:
            raise ValidationError("Name at least one client category or service level.",
                                  "client_categories")
        for name in ("client_categories", "service_levels"):
            if data.get("visibility") != "categories" and data.get(name):
                raise ValidationError("Only for visibility 'categories'.", name)


class ArticleSchema(Schema):
    id = fields.String(attribute="_id")
    section_id = fields.String(allow_none=True)
    title = fields.String()
    body = fields.String()
    body_html = fields.String()
    tags = fields.List(fields.String())
    equipment_kinds = fields.List(fields.String())
    state = fields.String()
    visibility = fields.String()
    client_categories = fields.List(fields.String())
    service_levels = fields.List(fields.String())
    version = fields.Integer()
    created_by = fields.Nested(ReferenceSchema)
    updated_by = fields.Nested(ReferenceSchema)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)
    answered_tickets = fields.Integer(metadata={
        "description": "How many tickets were answered with this article (not in lists)."})
    excerpt = fields.String(metadata={"description": "The start of the body as plain text "
                                                     "(not in lists)."})


class ArticleVersionSchema(Schema):
    version = fields.Integer()
    title = fields.String()
    body = fields.String()
    section_id = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    equipment_kinds = fields.List(fields.String())
    state = fields.String()
    visibility = fields.String()
    client_categories = fields.List(fields.String())
    service_levels = fields.List(fields.String())
    author = fields.Nested(ReferenceSchema)
    created_at = UtcDateTime()


class ArticleQuerySchema(Schema):
    section_id = fields.String(validate=REFERENCE)
    state = fields.String(validate=validate.OneOf(STATES))
    tag = fields.String(validate=LABEL)
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


# -- search --------------------------------------------------------------------------------------

class SearchQuerySchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=500))
    section_id = fields.String(validate=REFERENCE,
                               metadata={"description": "This section and its subsections."})
    tag = fields.String(validate=LABEL)
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_RESULTS))


class SearchHitSchema(Schema):
    id = fields.String()
    title = fields.String()
    title_marked = fields.String(metadata={"description": "The title, HTML-escaped, matched words "
                                                          "in <mark>."})
    section_id = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    score = fields.Float()
    snippet = fields.String(metadata={"description": "HTML-escaped text, matched words in <mark>."})


class SearchResultSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema))


# -- synonyms ------------------------------------------------------------------------------------

SYNONYM_WORD = validate.Length(min=1, max=40)
MEANING = validate.Length(min=1, max=100)


class SynonymWriteSchema(Schema):
    """An account's entry for one word (the word is in the path)."""
    means = fields.List(
        fields.String(validate=MEANING), required=True, validate=validate.Length(max=10),
        metadata={"description": "The words articles use for it (each a word or a phrase); "
                                 "an empty list switches the built-in entry off for the account."})


class SynonymSchema(Schema):
    word = fields.String()
    means = fields.List(fields.String())
    source = fields.String(metadata={"description": "'account' (the account's own entry) or "
                                                    "'built_in' (the default lexicon)."})
    updated_at = UtcDateTime(allow_none=True)
    updated_by = fields.Nested(ReferenceSchema, allow_none=True)


SynonymPageSchema = page_of(SynonymSchema)


class SynonymQuerySchema(Schema):
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


# -- suggestions and deflection -----------------------------------------------------------------

MAX_SUGGESTIONS = 10


class SuggestionRequestSchema(Schema):
    """A draft ticket's text, for which the best articles are suggested."""
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    description = fields.String(load_default="", validate=validate.Length(max=20_000))
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=MAX_SUGGESTIONS))


class SuggestionSchema(Schema):
    suggestion_id = fields.String(metadata={"description": "Where to record what was opened "
                                                           "and whether a ticket followed."})
    items = fields.List(fields.Nested(SearchHitSchema))


class SuggestionOpenedSchema(Schema):
    article_id = fields.String(required=True, validate=REFERENCE,
                               metadata={"description": "One of the articles shown."})


class SuggestionOutcomeSchema(Schema):
    ticket_created = fields.Boolean(required=True)
    ticket_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)

    @validates_schema
    def _ticket(self, data, **kwargs):
        if data.get("ticket_id") and data.get("ticket_created") is False:
            raise ValidationError("Only when a ticket was created.", "ticket_id")


class SuggestionOutcomeRecordSchema(Schema):
    ticket_created = fields.Boolean()
    ticket_id = fields.String(allow_none=True)
    recorded_at = UtcDateTime()


class SuggestionRecordSchema(Schema):
    suggestion_id = fields.String(attribute="_id")
    actor = fields.Nested(ReferenceSchema)
    created_at = UtcDateTime()
    shown = fields.List(fields.String())
    opened = fields.List(fields.String())
    outcome = fields.Nested(SuggestionOutcomeRecordSchema, allow_none=True)


class DeflectionQuerySchema(Schema):
    from_ = IsoDate(data_key="from", metadata={"description": "First day (UTC), included."})
    to = IsoDate(metadata={"description": "Last day (UTC), included."})
    article_id = fields.String(validate=REFERENCE)

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("Must not be before `from`.", "to")


class DeflectionRowSchema(Schema):
    article_id = fields.String()
    title = fields.String(allow_none=True)
    shown = fields.Integer(metadata={"description": "Suggestions that showed the article."})
    opened = fields.Integer(metadata={"description": "Of those, suggestions where it was opened."})
    deflected = fields.Integer(metadata={"description": "Opened, and no ticket was created."})
    tickets_created = fields.Integer(metadata={"description": "Opened, and a ticket was created "
                                                              "anyway."})
    awaiting_outcome = fields.Integer(metadata={"description": "Opened, outcome not recorded."})
    deflection_rate = fields.Float(allow_none=True, metadata={
        "description": "deflected / (deflected + tickets_created); null when neither."})


class DeflectionTotalSchema(Schema):
    suggestions = fields.Integer()
    shown = fields.Integer(metadata={"description": "Suggestions that showed any article."})
    opened = fields.Integer(metadata={"description": "Suggestions where any article was opened."})
    deflected = fields.Integer()
    tickets_created = fields.Integer()
    awaiting_outcome = fields.Integer()
    deflection_rate = fields.Float(allow_none=True)


class DeflectionReportSchema(Schema):
    period = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    total = fields.Nested(DeflectionTotalSchema)
    articles = fields.List(fields.Nested(DeflectionRowSchema))


# -- answers with an article ---------------------------------------------------------------------

class AnswerRequestSchema(Schema):
    article_id = fields.String(required=True, validate=REFERENCE)


class AnswerRecordSchema(Schema):
    """What `record_answer` takes: the relation of an article to the comment that answered."""
    article_id = fields.String(required=True, validate=REFERENCE)
    ticket_id = fields.String(required=True, validate=REFERENCE)
    comment_id = fields.String(required=True, validate=REFERENCE)


class AnswerSchema(Schema):
    article_id = fields.String()
    ticket_id = fields.String()
    comment_id = fields.String()
    answered_by = fields.Nested(ReferenceSchema)
    answered_at = UtcDateTime()
    created = fields.Boolean(metadata={"description": "False when the ticket had been answered "
                                                      "with the article before (nothing posted)."})


SectionPageSchema = page_of(SectionSchema)
ArticlePageSchema = page_of(ArticleSchema)
ArticleVersionListSchema = type("ArticleVersionListSchema", (Schema,), {
    "items": fields.List(fields.Nested(ArticleVersionSchema))})


# -- events --------------------------------------------------------------------------------------

class PublishedArticleSchema(Schema):
    id = fields.String(attribute="_id")
    title = fields.String()
    section_id = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    equipment_kinds = fields.List(fields.String())
    visibility = fields.String()
    client_categories = fields.List(fields.String())
    service_levels = fields.List(fields.String())
    version = fields.Integer()
    published_at = UtcDateTime()


class ArticlePublishedEventSchema(Schema):
    """`article_published`: an article became published (created so, or moved there from draft
    or archive). Edits of a published article do not announce it again."""
    event_id = fields.String()
    occurred_at = UtcDateTime()
    account_id = fields.String()
    published_by = fields.Nested(ReferenceSchema)
    article = fields.Nested(PublishedArticleSchema)


# -- "was this helpful" ------------------------------------------------------------------------------

class ArticleFeedbackWriteSchema(Schema):
    helpful = fields.Boolean(required=True)


class ArticleFeedbackSchema(Schema):
    helpful = fields.Integer(metadata={"description": "Readers who said it helped."})
    not_helpful = fields.Integer(metadata={"description": "Readers who said it did not."})
