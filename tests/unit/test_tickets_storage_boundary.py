"""The tickets service's data lives in services/tickets/store/: no other module of the service
imports the MongoDB driver (pymongo, bson) or the embedded engine, or writes MongoDB operators
($set, $inc, $or ...) as query or update documents. Read from the source with ast, so a module
is judged without being imported."""
import ast
import pathlib

import pytest

SERVICE = pathlib.Path(__file__).resolve().parents[2] / "services" / "tickets"
STORE = SERVICE / "store"
DRIVERS = ("pymongo", "bson", "gridfs", "services.shared.embedded")


def modules(inside_store):
    return sorted(path for path in SERVICE.rglob("*.py")
                  if (STORE in path.parents) == inside_store)


def imported(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def driver_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return sorted({name for name in imported(tree)
                   if any(name == d or name.startswith(d + ".") for d in DRIVERS)})


def operators(path):
    """MongoDB operators used as keys of dict literals: `{"$set": ...}`, `{"$or": [...]}`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return sorted({key.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
                   for key in node.keys
                   if isinstance(key, ast.Constant) and isinstance(key.value, str)
                   and key.value.startswith("$")})


def label(path):
    return str(path.relative_to(SERVICE))


@pytest.mark.parametrize("path", modules(inside_store=False), ids=label)
def test_no_module_outside_store_imports_the_driver(path):
    assert driver_imports(path) == []


@pytest.mark.parametrize("path", modules(inside_store=False), ids=label)
def test_no_module_outside_store_writes_mongodb_operators(path):
    assert operators(path) == []


def test_the_scan_sees_the_store_using_the_driver():
    """The checks above read real imports and operators: the store's own modules show both."""
    found = {label(path): driver_imports(path) for path in modules(inside_store=True)}
    assert "pymongo.ReturnDocument" in found["store/tickets.py"]
    assert "pymongo.errors.DuplicateKeyError" in found["store/people.py"]
    assert {"$inc", "$set"} <= set(operators(STORE / "intake_limits.py"))


def test_the_scan_covers_every_subdomain():
    scanned = {label(path).split("/")[0] for path in modules(inside_store=False)}
    assert {"directory", "assets", "contracts", "imports", "tickets", "sla", "service.py",
            "schemas.py"} <= scanned
