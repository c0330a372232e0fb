"""One table from errors to HTTP, and RFC 9457 problem+json bodies.

Every error the gateway answers with goes through `problem()`: the service error types, the
gateway's own (authentication, body size, malformed JSON), and validation errors from the request
schemas, which name each field and the reason.
"""
from flask import jsonify, request
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from gateway.i18n import gettext, translate_reason
from services.shared.errors import (Conflict, Forbidden, NotFound, Throttled, Unauthenticated,
                                    Unavailable, ValidationFailed)
from services.shared.validation import flatten_messages

PROBLEM_TYPE = "https://servicedesk.example/problems/{}"
PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldErrorSchema(Schema):
    field = fields.String(required=True, metadata={"description": "Dotted path, list positions included."})
    reason = fields.String(required=True)


class ProblemSchema(Schema):
    """What the OpenAPI document says every error answer is (RFC 9457)."""
    class Meta:
        unknown = INCLUDE  # extension members: `allowed` of a 409, `retry_after` of a 429, ...

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={"description": "422: each bad field."})

# error type -> (HTTP status, slug of the problem type, title msgid)
SERVICE_ERRORS = {
    NotFound: (404, "not-found", "Not found"),
    ValidationFailed: (422, "invalid-input", "Invalid input"),
    Forbidden: (403, "forbidden", "Forbidden"),
    Conflict: (409, "conflict", "Conflict"),
    Unavailable: (503, "unavailable", "Service unavailable"),
    Unauthenticated: (401, "unauthenticated", "Authentication required"),
    Throttled: (429, "too-many-requests", "Too many requests"),
}
HTTP_TITLES = {
    400: ("malformed-request", "Malformed request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("body-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-input", "Invalid input"),
    500: ("internal-error", "Internal error"),
}


STANDARD_MEMBERS = ("type", "title", "status", "detail", "instance")


def problem(status, slug, title, detail=None, headers=None, **extensions):
    # Extension members never overwrite the standard ones.
    body = {k: v for k, v in extensions.items() if k not in STANDARD_MEMBERS}
    body.update(type=PROBLEM_TYPE.format(slug), title=gettext(title), status=status)
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_CONTENT_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(fields):
    return [{"field": name, "reason": translate_reason(reason)} for name, reasons in fields.items()
            for reason in reasons]


def from_service_error(error):
    status, slug, title = SERVICE_ERRORS[type(error)]
    extensions, headers = dict(error.extra), {}
    if isinstance(error, ValidationFailed):
        extensions = {"errors": field_errors(error.fields)}
    elif isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="servicedesk"'
    elif isinstance(error, Throttled):
        headers["Retry-After"] = extensions.get("retry_after", "60")
    return problem(status, slug, title, error.detail, headers=headers, **extensions)


MAX_DRAIN_BYTES = 8 * 1024 * 1024


def drain_refused_body():
    """Read and drop a refused body, so the client's keep-alive connection stays usable (gunicorn
    would otherwise read the rest as the next request and close it). Past MAX_DRAIN_BYTES the
    connection is given up instead. A chunked body has no length: it is read to its end (the
    server decodes the chunks), within the same bound."""
    chunked = request.content_length is None
    remaining = MAX_DRAIN_BYTES if chunked else min(request.content_length, MAX_DRAIN_BYTES)
    stream = request.environ.get("wsgi.input")
    while stream is not None and remaining > 0:
        chunk = stream.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        remaining -= len(chunk)


def from_http_exception(error):
    """Werkzeug and flask-smorest errors; webargs puts schema messages in error.data."""
    if error.code == 413:
        drain_refused_body()
    slug, title = HTTP_TITLES.get(error.code, ("request-failed", "Request failed"))
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if error.code == 422 and messages:
        # webargs keys messages by location (json, query); the field name is what people need.
        fields = {}
        for location_messages in messages.values():
            fields.update(flatten_messages(location_messages))
        return problem(422, slug, title, "Some fields are invalid.", errors=field_errors(fields))
    # Werkzeug's own headers (Allow on a 405) stay; the body is ours.
    headers = {name: value for name, value in error.get_headers() if name != "Content-Type"}
    headers.update(data.get("headers") or {})
    return problem(error.code, slug, title, error.description, headers=headers)


def register(app):
    for error_type in SERVICE_ERRORS:
        app.register_error_handler(error_type, from_service_error)
    app.register_error_handler(HTTPException, from_http_exception)
