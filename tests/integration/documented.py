"""Every answer an integration test gets is checked against the OpenAPI document the gateway
serves (schemathesis's response conformance: status code documented, body as its schema says),
so that the document stays true as the code changes."""
from functools import lru_cache
from urllib.parse import urlsplit

import requests
import schemathesis


@lru_cache(maxsize=None)
def document(url):
    return schemathesis.openapi.from_dict(requests.get(f"{url}/openapi.json", timeout=15).json())


def check(url, response):
    """Raise when `response` differs from what the document says of its operation; answers of
    paths the document does not describe (pages, webhooks, assets) are not checked."""
    request = response.request
    if request is None or not urlsplit(request.url).path.startswith("/api/"):
        return
    operation = document(url).find_operation_by_path(request.method, urlsplit(request.url).path)
    if operation is not None:
        operation.validate_response(response)
