"""The API reference page (/docs) works without the internet: every asset it loads is served by
the gateway itself."""
import re


def test_the_reference_page_loads_nothing_from_another_host(anonymous):
    page = anonymous.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert sources, page.text[:500]
    for source in sources:
        assert source.startswith("/") and not source.startswith("//"), source
        asset = anonymous.get(source)
        assert asset.status_code == 200 and len(asset.content) > 1000, source
    assert "/openapi.json" in page.text and "cdn" not in page.text.lower()
