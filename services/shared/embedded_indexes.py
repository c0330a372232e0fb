"""The embedded store's indexes: each declared index as one sorted list of keys, so that equality on
its leading fields, a range on the next one and a sort on the following ones read a slice of it.

A key is flat: (rank, value) for each field of the index, then (rank, value) of `_id`. The rank is
the place of the value's BSON type in the order mongomock sorts by (null and missing 5, numbers 10,
strings 15, ObjectId 35, booleans 40, dates 45); values of one rank compare as Python compares them,
as mongomock's matcher and sort do. Walking the list in order therefore gives the order of a sort
on the index's fields with `_id` as the last tiebreak, and a page sorted so needs to read only as
far as its last document.

A document whose value has no such place (a sub-document, an array on the way or an empty one, an
aware datetime, NaN, another type) is "odd": a candidate of every lookup, and while an index holds
one it serves no sorted page. An array of scalars at the end of the path gives one key per element,
as MongoDB's multikey indexes do: found by any element, never used for order.
"""
import heapq
import itertools
import math
from datetime import datetime

from bson import ObjectId
from sortedcontainers import SortedList

MAX_PROBES = 1000  # an $in (or several) naming more keys than this is answered by a scan
_ABOVE = 100       # greater than every rank: a probe that ends with it sorts after a key prefix
_LOWER = {"$gt": False, "$gte": True}
_UPPER = {"$lt": False, "$lte": True}


def sortable(value):
    """(rank, value) as a key holds it; TypeError where a key cannot place the value."""
    kind = type(value)
    if kind is str:
        return 15, value
    if kind is int:
        return 10, value
    if value is None:
        return 5, None
    if kind is datetime and value.tzinfo is None:
        return 45, value
    if kind is float and not math.isnan(value):
        return 10, value
    if kind is bool:
        return 40, value
    if kind is ObjectId:
        return 35, value
    raise TypeError(kind.__name__)


def index_values(doc, field):
    """The values a document is indexed under at a dotted path: one value, or each element of an
    array of scalars at the end of the path. TypeError where keys cannot follow MongoDB's matching
    (an array on the way, sub-documents, an empty array)."""
    value = doc
    for part in field.split("."):
        if isinstance(value, list):
            raise TypeError("array on the path")
        if not isinstance(value, dict) or part not in value:
            return [None]
        value = value[part]
    values = value if isinstance(value, list) else [value]
    if not values:
        raise TypeError("empty array")
    return values


def equal_forms(value):
    """The keys a stored value may have when mongomock's equality holds it equal to `value`: its
    own, plus booleans for 0 and 1 and the other way round (Python holds 1 == True; strict mode's
    matcher then refuses them) and an ObjectId's string (mongomock matches it inside arrays)."""
    try:
        form = sortable(value)
    except TypeError:
        return None
    forms = [form]
    if form[0] in (10, 40) and value in (0, 1):
        forms.append((40, bool(value)) if form[0] == 10 else (10, int(value)))
    elif form[0] == 35:
        forms.append((15, str(value)))
    return forms


def conjuncts(spec):
    """({field: [conditions that must all hold]}, [the $or lists that must all hold]), from the
    top level of a filter and the $and inside it."""
    fields, alternatives = {}, []

    def walk(clause):
        for key, condition in clause.items():
            if key == "$and" and isinstance(condition, list):
                for inner in condition:
                    if isinstance(inner, dict):
                        walk(inner)
            elif key == "$or" and isinstance(condition, list) and \
                    all(isinstance(branch, dict) for branch in condition):
                alternatives.append(condition)
            elif not key.startswith("$"):
                fields.setdefault(key, []).append(condition)

    if isinstance(spec, dict):
        walk(spec)
    return fields, alternatives


def _is_operators(condition):
    return isinstance(condition, dict) and condition and all(k.startswith("$") for k in condition)


def equal_keys(conditions):
    """The key forms one of the conditions limits a field to (equality, $eq or $in), or None."""
    for condition in conditions:
        if _is_operators(condition):
            if "$eq" in condition:
                values = [condition["$eq"]]
            elif isinstance(condition.get("$in"), list):
                values = condition["$in"]
            else:
                continue
        else:
            values = [condition]
        forms = [equal_forms(v) for v in values]
        if all(f is not None for f in forms):
            return list(dict.fromkeys(itertools.chain.from_iterable(forms)))
    return None


def _interval(condition):
    """(rank, low, low inclusive, high, high inclusive) that a condition keeps a field within,
    or None. Ranges compare within one type only (type bracketing), as equality does but across
    booleans and numbers."""
    if _is_operators(condition):
        bounds = [(op, v) for op, v in condition.items() if op in _LOWER or op in _UPPER]
    else:
        forms = equal_forms(condition)
        if forms is None or len(forms) > 1 or forms[0][0] == 5:
            return None
        return forms[0][0], condition, True, condition, True
    low = high = None
    low_in = high_in = True
    rank = None
    for op, value in bounds:
        try:
            value_rank = sortable(value)[0]
        except TypeError:
            return None
        if value_rank == 5 or rank not in (None, value_rank):
            return None
        rank = value_rank
        if op in _LOWER and (low is None or value > low or (value == low and not _LOWER[op])):
            low, low_in = value, _LOWER[op]
        elif op in _UPPER and (high is None or value < high or (value == high and not _UPPER[op])):
            high, high_in = value, _UPPER[op]
    return None if rank is None else (rank, low, low_in, high, high_in)


def _intersect(a, b):
    if a is None or b is None or a[0] != b[0]:
        return a or b
    rank, low, low_in, high, high_in = a
    if b[1] is not None and (low is None or b[1] > low or (b[1] == low and not b[2])):
        low, low_in = b[1], b[2]
    if b[3] is not None and (high is None or b[3] < high or (b[3] == high and not b[4])):
        high, high_in = b[3], b[4]
    return rank, low, low_in, high, high_in


def _hull(a, b):
    """The smallest interval holding both (a branch of an $or is one or the other)."""
    if a is None or b is None or a[0] != b[0]:
        return None
    rank = a[0]
    if a[1] is None or b[1] is None:
        low, low_in = None, True
    else:
        low, low_in = min((a[1], not a[2]), (b[1], not b[2]))
        low_in = not low_in
    if a[3] is None or b[3] is None:
        high, high_in = None, True
    else:
        high, high_in = max((a[3], a[4]), (b[3], b[4]))
    return rank, low, low_in, high, high_in


def field_interval(field, fields, alternatives):
    """The interval a conjunction keeps `field` within, or None. An $or gives one when each of its
    branches does, as the cursor of a page does: (value < v) or (value = v and _id < id)."""
    found = None
    for condition in fields.get(field, ()):
        found = _intersect(found, _interval(condition))
    for branches in alternatives:
        hull = None
        for number, branch in enumerate(branches):
            inner_fields, inner_alternatives = conjuncts(branch)
            inner = field_interval(field, inner_fields, inner_alternatives)
            hull = inner if number == 0 else _hull(hull, inner)
            if hull is None:
                break
        found = _intersect(found, hull)
    return found


def _product_size(choices):
    size = 1
    for values in choices:
        size *= len(values)
    return size


class OrderedIndex:
    """One declared index: its keys in order, and the keys each document put there."""

    def __init__(self, fields):
        self.fields = fields + ["_id"]
        self.keys = SortedList()
        self.of = {}      # document id -> its key, or a list of keys (array elements)
        self.odd = set()  # ids of documents no key can place
        self.multi = 0    # documents with a list of keys

    def build(self, documents):
        keys = []
        for doc_id, doc in documents.items():
            keys += self._place(doc_id, self._keys_for(doc_id, doc))
        self.keys = SortedList(keys)
        return self

    def _place(self, doc_id, found):
        """Record what a document put in the index; the keys to add to the list."""
        if found is None:
            self.odd.add(doc_id)
            return []
        self.of[doc_id] = found
        if type(found) is list:
            self.multi += 1
            return found
        return [found]

    def _keys_for(self, doc_id, doc):
        """A document's key, a list of keys (array elements) or None (odd)."""
        try:
            parts = [[sortable(v) for v in index_values(doc, f)] for f in self.fields[:-1]]
            tail = sortable(doc_id)
        except TypeError:
            return None
        if all(len(p) == 1 for p in parts):
            return tuple(itertools.chain.from_iterable(p[0] for p in parts)) + tail
        return sorted({tuple(itertools.chain.from_iterable(combo)) + tail
                       for combo in itertools.product(*parts)})

    def update(self, doc_id, doc):
        """Bring the keys in line with a document (None: it is gone). Keys a change left as they
        were are not touched: taking a key out of a list of a million and putting it back is most
        of what re-indexing costs."""
        found = None if doc is None else self._keys_for(doc_id, doc)
        if found is not None and found == self.of.get(doc_id):
            return
        self._remove(doc_id)
        if doc is not None:
            self.keys.update(self._place(doc_id, found))

    def _remove(self, doc_id):
        self.odd.discard(doc_id)
        old = self.of.pop(doc_id, None)
        if old is None:
            return
        if type(old) is list:
            self.multi -= 1
            for key in old:
                self.keys.remove(key)
        else:
            self.keys.remove(old)

    # -- reads -------------------------------------------------------------------------------
    def plan(self, fields, alternatives, leading=None):
        """(number of leading fields held by equality, their key prefixes, the interval of the
        next field) for a conjunction, or None when this index narrows nothing. `leading`
        demands exactly that many equality fields (a sorted page needs them all)."""
        choices = []
        for field in self.fields[:leading]:
            forms = equal_keys(fields.get(field, ()))
            if forms is None:
                break
            choices.append(forms)
            if _product_size(choices) > MAX_PROBES:
                choices.pop()
                break
        held = len(choices)
        if leading is not None and held < leading:
            return None
        interval = None
        if held < len(self.fields):
            interval = field_interval(self.fields[held], fields, alternatives)
        if not held and interval is None and leading is None:
            return None
        prefixes = [tuple(itertools.chain.from_iterable(c)) for c in itertools.product(*choices)]
        return held, prefixes, interval

    def walk(self, prefixes, interval, reverse=False):
        """The keys under each prefix within the interval, each prefix's keys in order."""
        for prefix in prefixes:
            if interval is None:
                low, high = prefix, prefix + (_ABOVE,)
            else:
                rank, low_value, low_in, high_value, high_in = interval
                low = prefix + (rank,) if low_value is None else \
                    prefix + (rank, low_value) if low_in else prefix + (rank, low_value, _ABOVE)
                high = prefix + (rank + 0.5,) if high_value is None else \
                    prefix + (rank, high_value, _ABOVE) if high_in else prefix + (rank, high_value)
            yield self.keys.irange(low, high, inclusive=(True, False), reverse=reverse)

    def ordered(self, plan, reverse):
        """The ids of a plan's keys in the index's order (or its reverse) across all prefixes."""
        held, prefixes, interval = plan
        streams = list(self.walk(prefixes, interval, reverse))
        if len(streams) == 1:
            keys = streams[0]
        else:
            skip = 2 * held
            keys = heapq.merge(*streams, key=lambda key: key[skip:], reverse=reverse)
        return (key[-1] for key in keys)


def choose(indexes, fields, alternatives):
    """The index and plan that narrow a conjunction most, or (None, None)."""
    best, best_score = (None, None), 0
    for index in indexes:
        plan = index.plan(fields, alternatives)
        if plan is None:
            continue
        score = 2 * plan[0] + (plan[2] is not None)
        if score > best_score:
            best, best_score = (index, plan), score
    return best


def choose_ordered(indexes, fields, alternatives, sort):
    """The index and plan whose order is `sort` (fields ending with `_id`, one direction) under
    equality on all leading fields, and whether to walk it backwards; None when there is none."""
    if not isinstance(sort, (list, tuple)) or not sort:
        return None
    names = [name for name, _ in sort]
    directions = {direction for _, direction in sort}
    if names[-1] != "_id" or len(directions) != 1 or directions - {1, -1}:
        return None
    best = None
    for index in indexes:
        held = len(index.fields) - len(names)
        if held < 0 or index.fields[held:] != names or index.odd or index.multi:
            continue
        plan = index.plan(fields, alternatives, leading=held)
        if plan is not None and (best is None or held > best[1][0]):
            best = (index, plan)
    if best is None:
        return None
    return best[0], best[1], directions.pop() < 0
