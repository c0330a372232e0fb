"""Where each service's data lives (docs/conventions.md, "Where a service's data lives"): the
MongoDB driver is imported only in a service's `store/` package and in `services/shared/`, and
every service hands its workers one `Store` under the attribute `store`.

The driver is pymongo and everything that comes with it: `bson` too (ObjectId included: no
service needs it, ids are uuid4 hex strings) and mongomock, which the embedded engine in
services/shared/ wraps. One case per service, so that a service still being moved fails alone.
"""
import ast
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "services"
DRIVER = frozenset({"pymongo", "bson", "mongomock"})
SERVICE_NAMES = sorted(path.name for path in SERVICES.iterdir()
                       if (path / "service.py").is_file())


def driver_imports(path):
    """(line, module) of every import of the driver in one source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in DRIVER]
    return found


def outside_store(service):
    folder = SERVICES / service
    return sorted(path for path in folder.rglob("*.py")
                  if (folder / "store") not in path.parents)


def test_every_service_folder_is_checked():
    assert {"tickets", "knowledge", "telephony", "billing_sync",
            "partner_bridge"} <= set(SERVICE_NAMES)
    assert "shared" not in SERVICE_NAMES


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_the_driver_is_imported_only_in_the_store_package(service):
    offending = [f"{path.relative_to(SERVICES.parent)}:{line} imports {module}"
                 for path in outside_store(service) for line, module in driver_imports(path)]
    assert not offending, "\n".join(offending)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_the_store_package_exports_one_store_given_to_workers_as_store(service):
    package = SERVICES / service / "store" / "__init__.py"
    assert package.is_file(), f"services/{service}/store/ is not a package"
    exported = set()
    for node in ast.parse(package.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            exported.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            exported.update(alias.asname or alias.name for alias in node.names)
    assert "Store" in exported
    provided = {}
    for node in ast.walk(ast.parse((SERVICES / service / "service.py").read_text("utf-8"))):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "StoreProvider"):
            provided.update({target.id: node.value for target in node.targets})
    assert list(provided) == ["store"]
    assert [ast.unparse(arg) for arg in provided["store"].args] == [repr(service), "Store"]


def test_the_check_sees_every_form_of_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("import pymongo\nimport os, bson.json_util\n"
                      "from pymongo.errors import DuplicateKeyError\nfrom bson import ObjectId\n"
                      "from . import pymongo_like\nimport pymongolike\n", encoding="utf-8")
    assert driver_imports(module) == [(1, "pymongo"), (2, "bson.json_util"),
                                      (3, "pymongo.errors"), (4, "bson")]
