"""The knowledge service's public contract: sections, articles, their versions and search.

The gateway validates HTTP input with these schemas (and builds the OpenAPI document from them);
the service validates again, because it trusts no caller.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.schema_fields import UtcDateTime

STATES = ("draft", "published", "archived")
VISIBILITIES = ("internal", "all_clients", "categories")
NAME = validate.Length(min=1, max=200)
REFERENCE = validate.Length(min=1, max=64)
LABEL = validate.Length(min=1, max=64)
MAX_BODY = 200_000
MAX_PAGE = 100
MAX_RESULTS = 50


def page_of(item_schema):
    """The schema of a cursor page of `item_schema` items (`items`, `next_cursor`)."""
    return type(f"{item_schema.__name__.removesuffix('Schema')}PageSchema", (Schema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "next_cursor": fields.String(allow_none=True)})


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
    client_categories = fields.List(fields.String(validate=LABEL), load_default=list,
                                    validate=validate.Length(max=50))

    @validates_schema
    def _categories(self, data, **kwargs):
        chosen = data.get("client_categories") or []
        if data.get("visibility") == "categories" and not chosen:
            raise ValidationError("Name at least one client category.", "client_categories")
        if data.get("visibility") != "categories" and chosen:
            raise ValidationError("Only for visibility 'categories'.", "client_categories")


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
    version = fields.Integer()
    created_by = fields.Nested(ReferenceSchema)
    updated_by = fields.Nested(ReferenceSchema)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)


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


SectionPageSchema = page_of(SectionSchema)
ArticlePageSchema = page_of(ArticleSchema)
ArticleVersionListSchema = type("ArticleVersionListSchema", (Schema,), {
    "items": fields.List(fields.Nested(ArticleVersionSchema))})
