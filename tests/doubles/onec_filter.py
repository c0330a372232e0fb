"""OData v3 `$filter` expressions as 1C reads them: parsing, type checking against the entity's
fields, and evaluation over the double's records.

Literals are v3 only: `guid'...'`, `datetime'YYYY-MM-DDTHH:MM:SS'`, `'text'` with '' for a quote,
numbers, true, false, null. A bare GUID or an ISO timestamp (what OData v4 clients write) does not
parse, and a literal of the wrong type for its field is refused, as 1C refuses them.
"""
import re
import uuid
from decimal import Decimal

GUID, STRING, DATETIME, BOOLEAN, DOUBLE, INT64 = (
    "Edm.Guid", "Edm.String", "Edm.DateTime", "Edm.Boolean", "Edm.Double", "Edm.Int64")
NUMERIC = (DOUBLE, INT64)
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")

TOKEN = re.compile(r"""\s*(?:
    guid'(?P<guid>[^']*)'
  | datetime'(?P<datetime>[^']*)'
  | '(?P<string>(?:[^']|'')*)'
  | (?P<number>-?\d+(?:\.\d+)?)(?![\w-])
  | (?P<open>\() | (?P<close>\)) | (?P<comma>,) | (?P<equals>=)
  | (?P<word>[^\W\d]\w*)
)""", re.X)


class FilterError(ValueError):
    """The text the double answers with HTTP 400, as 1C does for a query it cannot parse."""


def tokenize(text):
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise FilterError(f"Синтаксическая ошибка в позиции {position + 1}: {text[position:position + 20]!r}")
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        tokens.append(_literal_token(kind, value))
    return tokens


def _literal_token(kind, value):
    if kind == "guid":
        try:
            return ("lit", GUID, str(uuid.UUID(value)))
        except ValueError:
            raise FilterError(f"Неверный литерал guid: {value!r}") from None
    if kind == "datetime":
        if not DATETIME_TEXT.match(value):
            raise FilterError(f"Неверный литерал datetime: {value!r}")
        return ("lit", DATETIME, value)
    if kind == "string":
        return ("lit", STRING, value.replace("''", "'"))
    if kind == "number":
        return ("lit", DOUBLE, Decimal(value))
    if kind == "word" and value in ("true", "false"):
        return ("lit", BOOLEAN, value == "true")
    if kind == "word" and value == "null":
        return ("lit", None, None)
    return (kind, value)


class Parser:
    """Recursive descent: or > and > not > comparison; parentheses group."""

    def __init__(self, text, fields):
        self.tokens = tokenize(text)
        self.fields = fields
        self.at = 0

    def parse(self):
        node = self.disjunction()
        if self.at != len(self.tokens):
            raise FilterError(f"Лишний текст в условии после элемента {self.at}")
        return node

    def peek(self, kind=None, value=None):
        if self.at >= len(self.tokens):
            return None
        token = self.tokens[self.at]
        if kind and token[0] != kind or value and token[1] != value:
            return None
        return token

    def take(self, kind=None, value=None):
        token = self.peek(kind, value)
        if token is None:
            raise FilterError(f"Ожидалось {value or kind} в позиции {self.at + 1}")
        self.at += 1
        return token

    def disjunction(self):
        node = self.conjunction()
        while self.peek("word", "or"):
            self.take()
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self):
        node = self.negation()
        while self.peek("word", "and"):
            self.take()
            node = ("and", node, self.negation())
        return node

    def negation(self):
        if self.peek("word", "not"):
            self.take()
            return ("not", self.negation())
        if self.peek("open"):
            self.take()
            node = self.disjunction()
            self.take("close")
            return node
        return self.comparison()

    def comparison(self):
        left = self.operand()
        operator = self.take("word")[1]
        if operator not in COMPARISONS:
            raise FilterError(f"Неизвестная операция {operator!r}")
        right = self.operand()
        _check_types(left, right)
        return ("cmp", operator, left, right)

    def operand(self):
        token = self.take()
        if token[0] == "lit":
            return token
        if token[0] == "word" and token[1] not in COMPARISONS + ("and", "or", "not"):
            if token[1] not in self.fields:
                raise FilterError(f"Не найдено свойство {token[1]!r}")
            return ("field", self.fields[token[1]], token[1])
        raise FilterError(f"Ожидалось свойство или значение, получено {token[1]!r}")


def _check_types(left, right):
    types = {left[1], right[1]} - {None}
    if len(types) <= 1 or types <= set(NUMERIC):
        return
    raise FilterError("Несовместимые типы в сравнении: " + " и ".join(sorted(types)))


def compile_filter(text, fields):
    """The predicate for `text` over records whose properties have the Edm types in `fields`,
    and the Ref_Keys it is limited to (None when it is not), which the double looks up first the
    way 1C uses its index on Ref_Key instead of testing every record."""
    node = Parser(text, fields).parse()
    return (lambda record: bool(_evaluate(node, record))), _keys(node)


def _keys(node):
    if node[0] == "cmp":
        operator, left, right = node[1:]
        if operator == "eq" and left[0] == "field" and left[2] == "Ref_Key" and right[0] == "lit":
            return {right[2]}
        return None
    if node[0] == "or":
        left, right = _keys(node[1]), _keys(node[2])
        return None if left is None or right is None else left | right
    if node[0] == "and":
        known = [k for k in (_keys(node[1]), _keys(node[2])) if k is not None]
        return set.intersection(*known) if known else None
    return None


def _value(operand, record):
    if operand[0] == "lit":
        return operand[2]
    value = record.get(operand[2])
    if operand[1] in NUMERIC and value is not None and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _evaluate(node, record):
    kind = node[0]
    if kind == "or":
        return _evaluate(node[1], record) or _evaluate(node[2], record)
    if kind == "and":
        return _evaluate(node[1], record) and _evaluate(node[2], record)
    if kind == "not":
        return not _evaluate(node[1], record)
    operator, left, right = node[1], _value(node[2], record), _value(node[3], record)
    if operator == "eq":
        return left == right
    if operator == "ne":
        return left != right
    if left is None or right is None:
        return False
    return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[operator]


def parse_parameters(text):
    """`Name=literal,Name=literal` (a virtual table's path parameters) -> {name: value}."""
    tokens, parameters, at = tokenize(text), {}, 0
    while at < len(tokens):
        name, equals, value = (tokens[at:at + 3] + [("end", None)] * 3)[:3]
        if name[0] != "word" or equals[0] != "equals" or value[0] != "lit":
            raise FilterError(f"Неверные параметры виртуальной таблицы: {text!r}")
        parameters[name[1]] = value[2]
        at += 3
        if at < len(tokens):
            if tokens[at][0] != "comma":
                raise FilterError(f"Неверные параметры виртуальной таблицы: {text!r}")
            at += 1
    return parameters
