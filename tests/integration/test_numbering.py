"""Per-account numbers: no gaps, no duplicates, under parallel creation through the gateway."""
from concurrent.futures import ThreadPoolExecutor

from tests.integration.suite_process import Api


def all_numbers(api):
    numbers, cursor = [], None
    while True:
        params = {"limit": 100, "sort": "number", **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/tickets", params=params).json()
        numbers += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return numbers


def test_parallel_creation_gives_gapless_unique_numbers(suite, globex):
    clients = [Api(suite.url, globex.token) for _ in range(16)]

    def create(i):
        return clients[i % 16].create_ticket(title=f"Параллельная заявка {i}")["number"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        created = list(pool.map(create, range(96)))
    assert len(set(created)) == 96
    numbers = all_numbers(clients[0])
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(created) <= set(numbers)
