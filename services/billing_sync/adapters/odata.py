"""A client of 1C's standard OData interface over `requests`.

Every answer is asked for as JSON (`$format=json`), numbers are read as Decimal (money must not pass
through float), and collections are paged with $top/$skip in a stable order because 1C sends no
next link. Each failure becomes one of the OneCError kinds of `adapters.base`, with 1C's own
odata.error code and message when it sent one.

One client is one 1C session: the first request asks for it (`IBSession: start`), the rest carry
its `ibsession` cookie, and `close()` ends it (`IBSession: finish`), so a run does not pay for a
session (and a license) per request. A 1C restarted under the client has forgotten the session
and answers 406; the client then starts a new one and asks again. Transient failures (refused
connections, resets, the proxy's 502/503/504 while 1C restarts) are retried per request with
exponential backoff by urllib3's Retry: reads always, writes only when the request never left.
No query string reaches 2,000 bytes: IIS refuses longer ones by default (404.15).
"""
import http.cookiejar
import json
import re
from decimal import Decimal
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from services.billing_sync.adapters.base import (AccountingSource, OneCAuthFailed, OneCMalformed,
                                                 OneCRejected, OneCServerError, OneCUnreachable)
from services.billing_sync.adapters.odata_query import MAX_QUERY_BYTES, Guid, literal, query_string
from services.shared.errors import ValidationFailed

# A proxy (Apache, IIS, nginx) in front of 1C answers these itself when the 1C server is down.
PROXY_DOWN = (502, 503, 504)
PATH_SAFE = "/()=',_$:"
SESSION_COOKIE = re.compile(r"(?:^|[;,]\s*)ibsession=([^;,\s]+)", re.I)
# 1C answers 406 to a request whose ibsession names a session it no longer has.
SESSION_GONE = 406


def retry_policy(attempts, backoff):
    """Up to `attempts` more tries of a request that failed on its way (any method: it never
    reached 1C) or, for reads, on the proxy's 502/503/504 or a reset; sleeping 0, 2b, 4b, ...
    up to 30 s between them (`backoff` = b seconds)."""
    # A read that timed out is tried twice more at most: a query too heavy for 1C stays so.
    return Retry(total=attempts, connect=attempts, read=min(attempts, 2), status=attempts, other=0,
                 status_forcelist=PROXY_DOWN, allowed_methods=frozenset({"GET"}),
                 backoff_factor=backoff, backoff_max=30, raise_on_status=False,
                 respect_retry_after_header=True)


class ODataClient(AccountingSource):
    def __init__(self, root_url, user, password, *, connect_timeout=5.0, read_timeout=60.0,
                 page_size=500, session=None, retries=6, backoff=0.5, on_request=None):
        parts = urlsplit(root_url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
            raise ValidationFailed.from_fields({"url": [
                "The OData root as http(s)://host/<publication>/odata/standard.odata/, "
                "without a user or password in it."]})
        self.root = root_url.rstrip("/") + "/"
        self.user = user
        self._auth = (user.encode("utf-8"), password.encode("utf-8"))
        self.timeout = (connect_timeout, read_timeout)
        self.page_size = page_size
        self.session = session or requests.Session()
        # The 1C session's cookie is handled here, not by the jar, so that a forgotten one is
        # dropped for sure.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        adapter = HTTPAdapter(max_retries=retry_policy(retries, backoff))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.ib_session = None
        # Called after each answer (a run renews its lease there).
        self.on_request = on_request

    def __repr__(self):
        return f"ODataClient({self.root!r}, user={self.user!r})"

    def close(self):
        if self.ib_session:
            try:
                self.session.get(self.root, headers={"IBSession": "finish",
                                                     "Cookie": f"ibsession={self.ib_session}"},
                                 auth=self._auth, timeout=self.timeout)
            except requests.RequestException:
                pass  # 1C ends an abandoned session itself after its timeout
            self.ib_session = None
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @property
    def host(self):
        parts = urlsplit(self.root)
        return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname

    def metadata(self):
        answer = self._request("GET", "$metadata", {}, accept="application/xml")
        text = answer.content.decode("utf-8", errors="replace")
        if "<edmx:Edmx" not in text and "<Edmx" not in text:
            raise OneCMalformed(f"1C at {self.host} sent no EDMX document for $metadata.",
                                status=answer.status_code)
        return text

    @staticmethod
    def _query(filter=None, select=None, orderby=None, top=None, skip=None, inlinecount=False):
        query = {"$format": "json"}
        for key, value in (("$filter", filter), ("$orderby", orderby), ("$top", top),
                           ("$skip", skip)):
            if value is not None:
                query[key] = value
        if select:
            query["$select"] = ",".join(select)
        if inlinecount:
            query["$inlinecount"] = "allpages"
        return query

    def fits(self, resource, **parameters):
        # A page's $top and $skip take up to 16 more bytes than the ones asked about.
        return len(query_string(self._query(**parameters))) + 16 < MAX_QUERY_BYTES

    def read(self, resource, *, filter=None, select=None, orderby=None, top=None, skip=None,
             inlinecount=False):
        query = self._query(filter, select, orderby, top, skip, inlinecount)
        body = self._json(self._request("GET", resource, query))
        records = body.get("value")
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise OneCMalformed(f"1C at {self.host} answered {resource} without a 'value' list.")
        return records

    def iterate(self, resource, *, filter=None, select=None, orderby="Ref_Key", page_size=None):
        # $skip over an unordered set may repeat or drop rows between pages; an order keeps it
        # stable as long as nobody inserts meanwhile (incremental runs catch up what was missed).
        size = page_size or self.page_size
        skip, previous = 0, None
        while True:
            page = self.read(resource, filter=filter, select=select, orderby=orderby, top=size,
                             skip=skip)
            # Something between us and 1C that drops $top or $skip would page forever.
            if len(page) > size or (page and page[0] == previous):
                raise OneCMalformed(f"1C at {self.host} ignored $top/$skip on {resource}.")
            yield from page
            if len(page) < size:
                return
            previous = page[0]
            skip += size

    def get(self, entity, ref_key):
        return self._json(self._request("GET", f"{entity}({literal(Guid(ref_key))})",
                                        {"$format": "json"}))

    def create(self, entity, body):
        answer = self._request("POST", entity, {"$format": "json"}, body)
        created = self._json(answer)
        if "Ref_Key" not in created:
            raise OneCMalformed(f"1C at {self.host} created a {entity} but sent no Ref_Key.")
        return created

    def post_document(self, entity, ref_key, operational=False):
        self._request("POST", f"{entity}({literal(Guid(ref_key))})/Post",
                      {"PostingModeOperational": "true" if operational else "false"})

    # -- transport ---------------------------------------------------------------------------

    def _url(self, resource, query):
        text = query_string(query)
        if len(text) >= MAX_QUERY_BYTES:
            raise OneCRejected(f"A query of {len(text)} bytes to {resource.split('(')[0]} was not "
                               f"sent: publications refuse query strings over {MAX_QUERY_BYTES}.")
        return self.root + quote(resource, safe=PATH_SAFE) + (f"?{text}" if text else "")

    def _request(self, method, resource, query, body=None, accept="application/json"):
        answer = self._send(method, resource, query, body, accept)
        if answer.status_code == SESSION_GONE and self.ib_session:
            self.ib_session = None  # 1C restarted: a new session, and the same request again
            answer = self._send(method, resource, query, body, accept)
        if answer.status_code >= 400:
            self._raise_for(answer, resource)
        if self.on_request is not None:
            self.on_request()
        return answer

    def _send(self, method, resource, query, body, accept):
        url = self._url(resource, query)
        headers = {"Accept": accept}
        if self.ib_session:
            headers["Cookie"] = f"ibsession={self.ib_session}"
        else:
            headers["IBSession"] = "start"
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            data = json.dumps(body, ensure_ascii=False, default=_json_number).encode("utf-8")
        try:
            answer = self.session.request(method, url, data=data, headers=headers,
                                          auth=self._auth, timeout=self.timeout)
        except requests.Timeout:
            raise OneCUnreachable(f"1C at {self.host} did not answer within "
                                  f"{self.timeout[1]:g} s.") from None
        except requests.ConnectionError as err:
            if _reason(err) == "ReadTimeoutError":  # the last of the retried timeouts
                raise OneCUnreachable(f"1C at {self.host} did not answer within "
                                      f"{self.timeout[1]:g} s.") from None
            raise OneCUnreachable(f"1C at {self.host} is unreachable ({_reason(err)}).") from None
        except requests.RequestException as err:
            raise OneCUnreachable(f"Cannot talk to 1C at {self.host} ({_reason(err)}).") from None
        started = SESSION_COOKIE.search(answer.headers.get("Set-Cookie", ""))
        if started:
            self.ib_session = started.group(1)
        return answer

    def _raise_for(self, answer, resource):
        resource = resource.split("(")[0]  # parameters and keys make messages long, not clearer
        status = answer.status_code
        code, message = _odata_error(answer)
        said = f": {message}" if message else ""
        if status in (401, 403):
            raise OneCAuthFailed(
                f"1C at {self.host} refused user '{self.user}' (HTTP {status}){said}. Check the "
                "user name and password and that the user has the right to use OData.",
                status=status, code=code)
        if status in PROXY_DOWN and code is None:
            raise OneCUnreachable(f"The web server in front of 1C at {self.host} answered "
                                  f"HTTP {status}: the 1C server behind it is down or busy.",
                                  status=status)
        if status >= 500:
            raise OneCServerError(f"1C at {self.host} failed on {resource} (HTTP {status}){said}.",
                                  status=status, code=code, message=message)
        raise OneCRejected(f"1C at {self.host} rejected {resource} (HTTP {status}){said}.",
                           status=status, code=code, message=message)

    def _json(self, answer):
        try:
            body = json.loads(answer.content.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError):
            raise OneCMalformed(f"1C at {self.host} sent a body that is not JSON "
                                f"(HTTP {answer.status_code}, "
                                f"{answer.headers.get('Content-Type', 'no content type')}).",
                                status=answer.status_code) from None
        if not isinstance(body, dict):
            raise OneCMalformed(f"1C at {self.host} sent JSON that is not an object.",
                                status=answer.status_code)
        return body


def _odata_error(answer):
    """(code, message) from an odata.error body, or (None, None) when there is none."""
    try:
        error = json.loads(answer.content.decode("utf-8")).get("odata.error")
        message = error.get("message")
        text = message.get("value") if isinstance(message, dict) else message
        return (str(error["code"]) if error.get("code") is not None else ""), str(text or "")
    except (ValueError, AttributeError, KeyError, TypeError, UnicodeDecodeError):
        return None, None


def _json_number(value):
    if isinstance(value, Decimal):
        # JSON has no decimal type and 1C reads numbers; an amount with two decimals survives
        # the trip through float's shortest repr unchanged.
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _reason(err):
    """A short cause without the URL (which could carry a publication path worth keeping out of
    logs) or a traceback."""
    cause = err.args[0] if err.args else err
    inner = getattr(cause, "reason", None)
    return type(inner or cause).__name__
