"""What every list takes and answers: `limit` (1 to MAX_PAGE) and an opaque `cursor` in;
`items`, `next_cursor` (null on the last page) and the `limit` applied out."""
from marshmallow import Schema, fields, validate

MAX_PAGE = 100


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


def page_of(item_schema):
    """The schema of a cursor page of `item_schema` items."""
    return type(f"{item_schema.__name__.removesuffix('Schema')}PageSchema", (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(allow_none=True, required=True),
        "limit": fields.Integer(metadata={"description": "The most items a page holds."})})
