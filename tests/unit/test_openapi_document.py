"""What the OpenAPI document says of the answers the gateway gives (the integration layer checks
every real answer against it; these are the facts that were once wrong)."""
import pytest

from gateway.app import create_app


@pytest.fixture(scope="module")
def document():
    app = create_app(owner_token="owner", amqp_uri="amqp://guest:guest@127.0.0.1:5672/")
    return app.test_client().get("/openapi.json").json


def schema(document, ref_or_schema):
    while "$ref" in ref_or_schema:
        ref_or_schema = document["components"]["schemas"][ref_or_schema["$ref"].split("/")[-1]]
    return ref_or_schema


def answer(document, path, method, status):
    response = document["paths"][path][method]["responses"][status]
    return schema(document, response["content"]["application/json"]["schema"])


def test_account_creation_answers_the_account_its_admin_and_the_token(document):
    created = answer(document, "/api/v1/accounts", "post", "201")
    assert set(created["properties"]) == {"account", "admin", "admin_token", "admin_token_id"}


def test_equipment_history_documents_its_planned_works(document):
    history = answer(document, "/api/v1/equipment/{equipment_id}/history", "get", "200")
    assert {"items", "next_cursor", "limit", "planned_works"} <= set(history["properties"])


def test_errors_are_problem_json_with_room_for_extension_members(document):
    default = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(default) == ["application/problem+json"]
    problem = schema(document, default["application/problem+json"]["schema"])
    assert set(problem["required"]) == {"type", "title", "status"}
    assert problem["additionalProperties"] is True
    invalid = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert list(invalid) == ["application/problem+json"]


def test_numeric_bounds_are_numbers(document):
    def bounds(node):
        if isinstance(node, dict):
            for key in ("minimum", "maximum"):
                if key in node:
                    yield node[key]
            for value in node.values():
                yield from bounds(value)
        elif isinstance(node, list):
            for value in node:
                yield from bounds(value)
    found = list(bounds(document))
    assert found and all(isinstance(value, (int, float)) for value in found)
    quantity = schema(document, {"$ref": "#/components/schemas/WorkCreate"})["properties"]["quantity"]
    assert (quantity["minimum"], quantity["maximum"]) == (0.001, 100000)


def test_every_list_answers_items_next_cursor_and_limit(document):
    not_pages = {"/api/v1/kb/search", "/api/v1/kb/articles/{article_id}/versions",
                 "/api/v1/partner-reports/requests",
                 "/api/v1/saved-views/counts"}
    for path, operations in document["paths"].items():
        get = operations.get("get")
        content = get and get["responses"].get("200", {}).get("content", {}).get("application/json")
        if not content or path in not_pages:
            continue
        shape = schema(document, content["schema"])
        if shape.get("type") == "array":
            assert path == "/api/v1/saved-views", path  # at most 50 per person, all at once
        elif "items" in shape.get("properties", {}):
            assert {"next_cursor", "limit"} <= set(shape["properties"]), path
            assert {"limit", "cursor"} <= {p["name"] for p in get.get("parameters", [])}, path
