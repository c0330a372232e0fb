"""A 1C:Enterprise "standard OData interface" double: a real HTTP server on 127.0.0.1.

It answers the way docs/billing-sync.md (after 1C's documentation) says 1C answers: entity sets
named <Kind>_<Name> under /<publication>/odata/standard.odata/, `$metadata` as EDMX, JSON with
`odata.metadata` and `value`, `$filter` with v3 literals, `$select`, `$orderby`, `$top`/`$skip`,
`$inlinecount`, single objects as `Set(guid'...')`, registers' virtual tables (`Balance`,
`SliceLast`) with their period and condition as path parameters, `odata.error` bodies, POST to
create a document and `/Post` to post it, Basic auth. Records carry every property of their
type, as 1C sends them, so a test can remove or spoil one with `damage`.

Simplification, stated: a register's own entity set lists its movements one per row (1C groups
them in record sets per recorder); the sync reads registers only through virtual tables.

Faults an admin meets in practice are knobs on `faults`: the proxy in front of 1C says it is down
(503), every request is refused (401), the Nth request from now fails with a 500, bodies are not
JSON, answers are slow; `stop()` closes the socket (connection refused); `restart_after(n, s)`
restarts 1C when the Nth request from now arrives: the proxy answers 503 for `s` seconds and every
1C session is gone (a request carrying one is answered 406).

What real publications do and the sync must live with:
- sessions: `IBSession: start` opens a session answered with cookie `ibsession`, later requests
  carry it, `IBSession: finish` ends it; a request with neither opens and ends a session of its
  own (`sessions` counts them all);
- IIS's request filtering: a query string over 2,048 bytes (or a URL over 4,096) is a 404.15
  (404.14) HTML page, not an OData answer (`longest_query` records the longest one received);
- pages are computed for each request, so data changed between two pages of one read shifts them
  (`between_pages`, when set, is called before each page after the first, to change data there);
- posting a sale runs the configuration's checks (onec_schema.POSTING) and refuses, with 1C's
  message, one missing what they need; enumeration values and references must be valid.
"""
import base64
import json
import re
import threading
import time
import uuid
from datetime import datetime
from decimal import Decimal

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from tests.doubles.onec_filter import (BOOLEAN, DATETIME, DOUBLE, GUID, INT64, STRING,
                                       FilterError, compile_filter, parse_parameters)
from tests.doubles.onec_schema import POSTING, SCHEMAS, VAT_RATES
from tests.doubles.onec_tables import balance, metadata_xml, slice_last

EMPTY_REF = "00000000-0000-0000-0000-000000000000"
EMPTY_DATE = "0001-01-01T00:00:00"
DEFAULTS = {GUID: EMPTY_REF, STRING: "", DATETIME: EMPTY_DATE, BOOLEAN: False, DOUBLE: 0,
            INT64: "0"}
PUBLICATION = "/base/odata/standard.odata/"
REMOVE = object()

SALE = "Document_РеализацияТоваровУслуг"
MAX_QUERY_STRING, MAX_URL = 2048, 4096  # IIS requestLimits defaults
# Properties whose values are enumeration values, and the values 1C knows.
ENUMS = {"СтавкаНДС": VAT_RATES}
IIS_404 = ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\"><html><head><title>IIS "
           "10.0 Detailed Error - 404.{sub} - Not Found</title></head><body><h3>HTTP Error 404.{sub} "
           "- Not Found</h3><h4>The request filtering module is configured to deny a request "
           "where the {what} is too long.</h4></body></html>")
SINGLE = re.compile(r"^(?P<set>[^/(]+)\(guid'(?P<ref>[^']*)'\)(?:/(?P<action>Post|Unpost))?$")
VIRTUAL = re.compile(r"^(?P<set>[^/(]+)/(?P<function>\w+)(?:\((?P<params>.*)\))?$")


class QuietHandler(WSGIRequestHandler):
    """Keeps one access line per request out of the test output."""

    def log_request(self, *args, **kwargs):
        pass


class ODataFailure(Exception):
    """An answer with an odata.error body. 1C's codes are numbers sent as text; the ones used here
    are illustrative, and the client relies on none of them."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Faults:
    def __init__(self):
        self.proxy_down = False        # the web server in front of 1C answers 503 itself
        self.reject_all_logins = False  # 401 whatever the credentials
        self.malformed_bodies = False  # 200 with an HTML page instead of JSON
        self.delay = 0.0               # seconds before each answer
        self.fail_at = {}              # request number -> status
        self.restart_at = None         # (request number, seconds down)
        self.fail_next = None          # (method, path fragment, status): the next such request
        self.down_until = 0.0          # monotonic time until which 1C is restarting


class OneCOData:
    def __init__(self, profile="bp30", user="odata", password="secret"):
        self.profile = profile
        self.schema = SCHEMAS[profile]()
        self.user, self.password = user, password
        self.records = {name: [] for name in self.schema}
        self.published = set(self.schema)
        self.faults = Faults()
        self.refs = {}
        self.log = []
        self.request_count = 0
        self._lock = threading.Lock()
        self._server = self._thread = None
        self._port = None
        self._versions = 0
        self._generation = 0  # bumped by every change, so pages are never stale
        self._pages = {}
        self.sessions = {"started": 0, "finished": 0, "one_off": 0, "refused": 0}
        self._open_sessions = set()
        self.longest_query = 0
        self.between_pages = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self):
        self._server = make_server("127.0.0.1", 0, self.wsgi, threaded=True,
                                   request_handler=QuietHandler)
        # A short poll keeps stop() quick: shutdown waits for the serving loop's next poll.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        self._port = self._server.server_port  # kept after stop(): clients then meet a closed port
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self._port}{PUBLICATION}"

    # -- data -----------------------------------------------------------------------------------

    def add(self, entity, name=None, **values):
        """A record of `entity` with every property of its type (1C's empty values where not
        given); `name` remembers its Ref_Key in `refs` for the tests."""
        kind = self.schema[entity]
        record = {field: DEFAULTS[edm] for field, edm in kind["fields"].items()}
        if "Ref_Key" in record:
            record["Ref_Key"] = str(uuid.uuid4())
            record["DataVersion"] = self._next_version()
        for section in kind["sections"]:
            record[section] = []
        record.update(values)
        for section, fields in kind["sections"].items():
            record[section] = _rows(fields, record[section])
        with self._lock:
            self.records[entity].append(record)
            self._generation += 1
        if name:
            self.refs[name] = record.get("Ref_Key")
        return record

    def find(self, entity, ref_key):
        for record in self.records[entity]:
            if record.get("Ref_Key") == ref_key:
                return record
        return None

    def edit(self, entity, ref_key, **values):
        """What a user saving the object in 1C does: new values and a new DataVersion (1C writes
        one on every save, posting included). Tabular sections are given whole, as 1C saves them."""
        record = self.find(entity, ref_key)
        sections = self.schema[entity]["sections"]
        values = {field: _rows(sections[field], value) if field in sections else value
                  for field, value in values.items()}
        record.update(values, DataVersion=self._next_version())
        self._generation += 1
        return record

    def damage(self, entity, ref_key, field, value=REMOVE):
        """Spoil one property of one record as 1C sends it: remove it (the default) or set it to
        `value`; unlike `edit`, no new DataVersion (a broken answer, not a user's save)."""
        record = self.find(entity, ref_key)
        if value is REMOVE:
            record.pop(field, None)
        else:
            record[field] = value
        self._generation += 1

    def remove(self, entity, ref_key):
        """The object is gone (deleted for good in 1C)."""
        with self._lock:
            self.records[entity] = [r for r in self.records[entity] if r.get("Ref_Key") != ref_key]
            self._generation += 1

    def unpublish(self, entity):
        """What happens when the 1C admin has not included `entity` in the OData interface."""
        self.published.discard(entity)

    def restart_after(self, nth, seconds):
        """1C restarts when the `nth` request from now arrives: down for `seconds`, sessions lost."""
        with self._lock:
            self.faults.restart_at = (self.request_count + nth, seconds)

    def fail_next_request(self, method, fragment, status):
        """The next `method` request whose path contains `fragment` fails with `status` (the
        proxy's HTML for 502-504, 1C's odata.error otherwise)."""
        self.faults.fail_next = (method, fragment, status)

    def fail_request(self, nth, status=500):
        """The `nth` request from now (1 = the next one) fails with `status`."""
        with self._lock:
            self.faults.fail_at[self.request_count + nth] = status

    def _next_version(self):
        with self._lock:
            self._versions += 1
            return base64.b64encode(self._versions.to_bytes(8, "big")).decode()

    # -- HTTP -----------------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        return self.answer(Request(environ))(environ, start_response)

    def answer(self, request):
        with self._lock:
            self.request_count += 1
            number = self.request_count
            failing = self.faults.fail_at.pop(number, None)
            wanted = self.faults.fail_next
            if wanted and request.method == wanted[0] and wanted[1] in request.path:
                self.faults.fail_next, failing = None, wanted[2]
            restart = self.faults.restart_at
            if restart and restart[0] == number:
                self.faults.restart_at = None
                self.faults.down_until = time.monotonic() + restart[1]
                self._open_sessions.clear()
        self.log.append((request.method, request.path, request.query_string.decode()))
        query_bytes = len(request.query_string)
        self.longest_query = max(self.longest_query, query_bytes)
        if query_bytes > MAX_QUERY_STRING or len(request.full_path.encode()) > MAX_URL:
            too_long = query_bytes > MAX_QUERY_STRING
            return Response(IIS_404.format(sub="15" if too_long else "14",
                                           what="query string" if too_long else "URL"), 404,
                            content_type="text/html")
        if self.faults.delay:
            time.sleep(self.faults.delay)
        if self.faults.proxy_down or time.monotonic() < self.faults.down_until:
            return Response("<html><body><h1>503 Service Unavailable</h1></body></html>", 503,
                            content_type="text/html")
        if not self._authorised(request):
            return Response("", 401, {"WWW-Authenticate": 'Basic realm="1C:Enterprise"'})
        session, gone = self._session(request)
        if gone:
            return Response("Сеанс не найден", 406, content_type="text/plain;charset=utf-8")
        if failing in (502, 503, 504):
            return Response(f"<html><body><h1>{failing}</h1></body></html>", failing,
                            content_type="text/html")
        if failing:
            return self._error(ODataFailure(failing, "-1", "Внутренняя ошибка сервера 1С:Предприятия"))
        if self.faults.malformed_bodies:
            return Response("<html><body>Ошибка: сеанс завершен</body></html>", 200,
                            content_type="text/html")
        if not request.path.startswith(PUBLICATION):
            return Response("Not Found", 404, content_type="text/plain")
        try:
            answer = self._route(request, request.path[len(PUBLICATION):])
        except ODataFailure as failure:
            answer = self._error(failure)
        except FilterError as err:
            answer = self._error(ODataFailure(400, "15", f"Ошибка разбора запроса: {err}"))
        if session:
            answer.set_cookie("ibsession", session, path=PUBLICATION)
        return answer

    def _session(self, request):
        """(a session started by this request or None, whether its cookie names a lost one)."""
        wanted = request.headers.get("IBSession", "").lower()
        cookie = request.cookies.get("ibsession")
        with self._lock:
            if cookie:
                if cookie not in self._open_sessions:
                    self.sessions["refused"] += 1
                    return None, True
                if wanted == "finish":
                    self._open_sessions.discard(cookie)
                    self.sessions["finished"] += 1
                return None, False
            if wanted == "start":
                session = uuid.uuid4().hex
                self._open_sessions.add(session)
                self.sessions["started"] += 1
                return session, False
            self.sessions["one_off"] += 1
            return None, False

    @property
    def open_sessions(self):
        return len(self._open_sessions)

    def _authorised(self, request):
        credentials = request.authorization
        return (not self.faults.reject_all_logins and credentials is not None
                and credentials.type == "basic" and credentials.username == self.user
                and credentials.password == self.password)

    def _route(self, request, path):
        if path == "":
            return _json({"odata.metadata": f"{self.url}$metadata",
                          "value": [{"name": n, "url": n} for n in sorted(self.published)]})
        if path == "$metadata":
            if request.method != "GET":
                raise ODataFailure(405, "1", "Метод не поддерживается")
            return Response(self.metadata_xml(), 200, content_type="application/xml;charset=utf-8")
        single, virtual = SINGLE.match(path), VIRTUAL.match(path)
        entity = (single or virtual).group("set") if (single or virtual) else path
        if entity not in self.published or entity not in self.schema:
            raise ODataFailure(404, "6", f"Не найден ресурс '{entity}'")
        if not _wants_json(request) and not (single and single.group("action")):
            return Response('<?xml version="1.0" encoding="utf-8"?><feed '
                            'xmlns="http://www.w3.org/2005/Atom"/>', 200,
                            content_type="application/atom+xml;charset=utf-8")
        if single:
            return self._single(request, entity, single.group("ref"), single.group("action"))
        if virtual:
            if request.method != "GET":
                raise ODataFailure(405, "1", "Метод не поддерживается")
            rows, fields = self._virtual(entity, virtual.group("function"),
                                         virtual.group("params") or "")
            return self._collection(request, f"{entity}_{virtual.group('function')}", rows, fields)
        if request.method == "POST":
            return self._create(request, entity)
        if request.method != "GET":
            raise ODataFailure(405, "1", "Метод не поддерживается")
        fields = self.schema[entity]["fields"]
        return self._collection(request, entity, list(self.records[entity]), fields)

    def _collection(self, request, name, rows, fields):
        args = request.args
        skip, top = _whole(args, "$skip", 0), _whole(args, "$top", None)
        # Later pages of one query reuse the first page's filtered, sorted rows, so that paging
        # through 100,000 records does not filter and sort them again for every page.
        query = (request.path, args.get("$filter"), args.get("$orderby"), self._generation)
        if skip and self.between_pages is not None:
            self.between_pages(self)
            query = query[:3] + (self._generation,)
        cached = self._pages.get(query) if skip else None
        if cached is None:
            self._pages.clear()
            rows = self._filtered(args, rows, fields)
            self._pages[query] = rows
        else:
            rows = cached
        count = len(rows)
        rows = rows[skip:] if top is None else rows[skip:skip + top]
        if args.get("$select"):
            chosen = [f.strip() for f in args["$select"].split(",")]
            known = set(fields) | set(self.schema.get(name, {}).get("sections", {}))
            unknown = [f for f in chosen if f not in known]
            if unknown:
                raise ODataFailure(400, "15", f"Не найдено свойство '{unknown[0]}'")
            rows = [{f: row[f] for f in chosen if f in row} for row in rows]
        body = {"odata.metadata": f"{self.url}$metadata#{name}"}
        if args.get("$inlinecount") == "allpages":
            body["odata.count"] = str(count)
        body["value"] = rows
        return _json(body)

    @staticmethod
    def _filtered(args, rows, fields):
        if args.get("$filter"):
            matches, keys = compile_filter(args["$filter"], fields)
            if keys is not None:
                rows = [row for row in rows if row.get("Ref_Key") in keys]
            rows = [row for row in rows if matches(row)]
        for field, descending in reversed(_order(args.get("$orderby"), fields)):
            rows.sort(key=lambda row, f=field: _sort_key(row.get(f)), reverse=descending)
        return rows

    def _single(self, request, entity, ref_key, action):
        record = self.find(entity, ref_key.lower())
        if record is None:
            raise ODataFailure(404, "6", f"Не найден объект {entity}(guid'{ref_key}')")
        if action:
            if request.method != "POST" or self.schema[entity]["kind"] != "document":
                raise ODataFailure(405, "1", "Метод не поддерживается")
            if action == "Post" and entity == SALE:
                self._check_posting(entity, record)
            record["Posted"] = action == "Post"
            record["DataVersion"] = self._next_version()
            self._generation += 1
            return Response("", 200)
        if request.method != "GET":
            raise ODataFailure(405, "1", "Метод не поддерживается")
        return _json(dict({"odata.metadata": f"{self.url}$metadata#{entity}/@Element"}, **record))

    def _create(self, request, entity):
        kind = self.schema[entity]
        if kind["kind"] != "document":
            raise ODataFailure(405, "1", "Создание объектов этого вида не поддерживается")
        try:
            body = json.loads(request.get_data(as_text=True), parse_float=Decimal)
        except ValueError:
            raise ODataFailure(400, "15", "Тело запроса не является JSON") from None
        if not isinstance(body, dict):
            raise ODataFailure(400, "15", "Ожидался объект JSON")
        _check_values(body, kind["fields"], kind["sections"], entity)
        values = dict(body, Ref_Key=body.get("Ref_Key") or str(uuid.uuid4()), Posted=False)
        if not values.get("Number"):
            values["Number"] = f"0000-{len(self.records[entity]) + 1:06d}"
        record = self.add(entity, **values)
        location = f"{self.url}{entity}(guid'{record['Ref_Key']}')"
        return _json(dict({"odata.metadata": f"{self.url}$metadata#{entity}/@Element"}, **record),
                     201, {"Location": location})

    def metadata_xml(self):
        return metadata_xml(self.schema, self.published)

    def _check_posting(self, entity, record):
        """What the configuration checks before posting a sale: every field it needs filled,
        references that lead somewhere. 1C answers HTTP 500 with its messages."""
        section, header, row_fields = POSTING[self.profile]
        problems = [f'Не заполнено поле "{f}"' for f in header if _empty(record.get(f))]
        rows = record.get(section) or []
        if not rows:
            problems.append(f'Не заполнена табличная часть "{section}"')
        for number, row in enumerate(rows, start=1):
            problems += [f'Не заполнено поле "{f}" в строке {number} списка "{section}"'
                         for f in row_fields if _empty(row.get(f))]
            rate_ref = row.get("СтавкаНДС_Key")
            if rate_ref and not _empty(rate_ref) and not self.find("Catalog_СтавкиНДС", rate_ref):
                problems.append(f'Поле "СтавкаНДС" в строке {number}: битая ссылка {rate_ref}')
        for field in ("СчетУчетаРасчетовСКонтрагентом_Key", "СчетУчетаРасчетовПоАвансам_Key"):
            ref = record.get(field)
            if ref and not _empty(ref) and not self.find("ChartOfAccounts_Хозрасчетный", ref):
                problems.append(f'Поле "{field}": битая ссылка {ref}')
        if problems:
            raise ODataFailure(500, "-1", f"Не удалось провести документ {record['Number']}: "
                                          + "; ".join(problems))

    def _error(self, failure):
        return _json({"odata.error": {"code": failure.code,
                                      "message": {"lang": "ru", "value": failure.message}}},
                     failure.status)

    # -- virtual tables -------------------------------------------------------------------------

    def _virtual(self, entity, function, params):
        kind = self.schema[entity]
        if function not in kind.get("virtual", {}):
            raise ODataFailure(400, "15", f"Виртуальная таблица {function} не найдена у {entity}")
        parameters = parse_parameters(params) if params else {}
        unknown = set(parameters) - {"Period", "Condition"}
        if unknown:
            raise ODataFailure(400, "15", f"Неизвестный параметр {sorted(unknown)[0]}")
        rows = list(self.records[entity])
        if parameters.get("Condition"):
            matches, _ = compile_filter(parameters["Condition"], kind["fields"])
            rows = [row for row in rows if matches(row)]
        period = parameters.get("Period")
        if function == "Balance":
            return balance(kind, rows, period)
        return slice_last(kind, rows, period)


def _sort_key(value):
    return (value is not None, value if value is not None else "")


def _order(text, fields):
    order = []
    for part in (text or "").split(","):
        words = part.split()
        if not words:
            continue
        if words[0] not in fields or len(words) > 2 or words[1:] not in ([], ["asc"], ["desc"]):
            raise ODataFailure(400, "15", f"Неверное упорядочивание: {part!r}")
        order.append((words[0], words[1:] == ["desc"]))
    return order


def _whole(args, name, default):
    if name not in args:
        return default
    if not args[name].isdigit():
        raise ODataFailure(400, "15", f"Неверное значение {name}: {args[name]!r}")
    return int(args[name])


def _wants_json(request):
    return (request.args.get("$format") == "json"
            or "application/json" in request.headers.get("Accept", ""))


def _empty(value):
    return value in (None, "", EMPTY_REF, 0, EMPTY_DATE)


def _check_values(values, fields, sections, entity):
    for name, value in values.items():
        if name in ENUMS and value not in ("", *ENUMS[name]):
            raise ODataFailure(400, "15", f"Неверное значение перечисления '{name}': {value!r}")
        if name in sections:
            if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
                raise ODataFailure(400, "15", f"Табличная часть {name} должна быть массивом строк")
            for row in value:
                _check_values(row, sections[name], {}, f"{entity}.{name}")
        elif name not in fields:
            raise ODataFailure(400, "15", f"Не найдено свойство '{name}' у {entity}")
        elif not _fits(fields[name], value):
            raise ODataFailure(400, "15", f"Неверное значение свойства '{name}': {value!r}")


def _fits(edm, value):
    if edm == GUID:
        try:
            return isinstance(value, str) and bool(uuid.UUID(value))
        except ValueError:
            return False
    if edm == DATETIME:
        try:
            return isinstance(value, str) and bool(datetime.strptime(value, "%Y-%m-%dT%H:%M:%S"))
        except ValueError:
            return False
    if edm == BOOLEAN:
        return isinstance(value, bool)
    if edm == DOUBLE:
        return isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if edm == INT64:
        return isinstance(value, str) and value.isdigit() or isinstance(value, int)
    return isinstance(value, str)


def _rows(fields, rows):
    """A tabular section's rows with every property of the row type and their line numbers."""
    return [dict({f: DEFAULTS[edm] for f, edm in fields.items()}, **dict(row, LineNumber=str(number)))
            for number, row in enumerate(rows, start=1)]


def _json(body, status=200, headers=None):
    text = json.dumps(body, ensure_ascii=False, default=_number)
    return Response(text, status, headers, content_type="application/json;charset=utf-8")


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)
