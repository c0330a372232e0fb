"""What a request body must be before anything parses it.

Python's json module recurses once per nested array or object and turns every integer literal
into an int, so a body 1,000 levels deep or a number of 5,000 digits fails inside the parser
(RecursionError, ValueError) where no view can answer for it. The gateway screens every JSON body
once, before webargs or a view reads it:

- the body is read within MAX_CONTENT_LENGTH, chunked ones too (413 past it);
- a view that declares a JSON body gets one: a body of another or no content type is 415;
- nesting deeper than MAX_DEPTH, a number literal longer than MAX_NUMBER_CHARS, NaN or Infinity
  are 400 before the parser sees them;
- object keys MongoDB cannot store (a leading `$`, a `.`, a NUL) are 422 naming their path,
  except in the vendor formats of PBX webhooks, which are screened by their adapters (and whose
  edge answers a body that is no JSON at all in the vendor's shape).
"""
import json
import re
from itertools import accumulate

from flask import current_app, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from gateway.telephony.webhooks import PREFIX as PBX_WEBHOOKS
from services.shared.validation import check_keys

MAX_DEPTH = 32
MAX_NUMBER_CHARS = 64
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
NOT_A_BRACKET = re.compile(rb"[^\[\]{}]")
STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class Malformed(BadRequest):
    """400 with the reason in the problem's detail."""


class NotJson(Malformed):
    """Not JSON at all (rather than JSON too deep or with too long a number)."""


def depth(raw):
    """The deepest nesting of arrays and objects in a JSON text, brackets inside strings aside."""
    brackets = NOT_A_BRACKET.sub(b"", STRING.sub(b'""', raw))
    return max(accumulate(STEP[b] for b in brackets), default=0)


def bounded_number(kind):
    def parse(literal):
        if len(literal) > MAX_NUMBER_CHARS:
            raise Malformed(f"Numbers may have at most {MAX_NUMBER_CHARS} characters.")
        return kind(literal)
    return parse


def refuse_constant(name):
    raise Malformed(f"{name} is not JSON.")


def parse(raw):
    """The JSON value of `raw`, or Malformed saying why not."""
    if depth(raw) > MAX_DEPTH:
        raise Malformed(f"JSON may nest at most {MAX_DEPTH} levels deep.")
    try:
        return json.loads(raw, parse_int=bounded_number(int), parse_float=bounded_number(float),
                          parse_constant=refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise NotJson("The body is not valid JSON.") from None


def declares_json_body():
    """Whether the matched view takes a JSON body (flask-smorest records its arguments)."""
    view = current_app.view_functions.get(request.endpoint)
    handler = getattr(getattr(view, "view_class", None), request.method.lower(), view)
    arguments = getattr(handler, "_apidoc", {}).get("arguments", {})
    return any(argument.get("in") == "json" for argument in arguments.get("parameters", ()))


def read_body():
    """The whole body, or 413 when it is longer than MAX_CONTENT_LENGTH. A chunked body has no
    Content-Length: werkzeug stops reading at the limit without a word, so one more byte is
    asked for, which raises 413 when there is one."""
    raw = request.get_data(cache=True)
    if request.content_length is None and len(raw) >= current_app.config["MAX_CONTENT_LENGTH"]:
        request.stream.read(1)
    return raw


def screen_body():
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    if not request.is_json:
        has_body = request.content_length or "chunked" in request.headers.get("Transfer-Encoding", "")
        if has_body and declares_json_body():
            raise UnsupportedMediaType("Send the body as application/json.")
        return
    raw = read_body()
    if not raw.strip():
        return
    if request.path.startswith(PBX_WEBHOOKS):
        # Bounded like any JSON; what is no JSON at all the vendor's edge answers in its shape.
        try:
            parse(raw)
        except NotJson:
            pass
        return
    check_keys(parse(raw))


def init_app(app):
    app.before_request(screen_body)
