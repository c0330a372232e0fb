"""`article_published` reaches a consumer on a real RabbitMQ, also when the process died between
the write and the publish (the outbox relay), and two replicas of the knowledge service find an
article the other one published."""
import eventlet
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.knowledge.schemas import ArticlePublishedEventSchema
from services.knowledge.service import KnowledgeService
from services.shared import events
from services.shared.events import Inbox, reliable_handler
from services.shared.storage import open_database
from tests.service.waiting import wait_for

AGENT = {"account_id": "acme", "kind": "employee", "id": "e1", "roles": ["agent"]}
ARTICLE = {"title": "Камера не показывает изображение", "body": "Проверьте питание камеры.",
           "state": "published", "visibility": "all_clients"}
received = []


class Consumer:
    name = "test_kb_consumer"
    inbox = Inbox("test_kb_consumer")

    @reliable_handler("knowledge", "article_published")
    def on_published(self, payload):
        received.append(payload)


@pytest.fixture
def running(container_factory, config):
    received.clear()
    container_factory(Consumer, config).start()  # its queue is bound before anything is published
    knowledge = container_factory(KnowledgeService, config)
    knowledge.start()
    return knowledge


def test_publishing_announces_the_article_once(running, config):
    with ServiceRpcProxy("knowledge", config) as knowledge:
        created = knowledge.create_article(AGENT, ARTICLE)
        knowledge.replace_article(AGENT, created["id"], dict(ARTICLE, title="Камера: нет видео"))
        draft = knowledge.create_article(AGENT, dict(ARTICLE, state="draft"))
    wait_for(lambda: received)
    eventlet.sleep(0.5)  # an edit or a draft would arrive by now if it were announced
    [payload] = received
    assert set(payload) == set(ArticlePublishedEventSchema().fields)
    assert payload["article"]["id"] == created["id"] and payload["account_id"] == "acme"
    assert draft["id"] not in {p["article"]["id"] for p in received}
    stored = open_database("knowledge").articles.find_one({"_id": created["id"]})
    assert stored["outbox"] == [] and "outbox_pending" not in stored


def test_the_relay_publishes_what_a_crash_left_in_the_outbox(running, config, monkeypatch):
    monkeypatch.setattr(events, "RELAY_AGE", events.timedelta(seconds=0))
    # As if the process died after the write and before the publish.
    monkeypatch.setattr(KnowledgeService, "_announced", lambda self, article: article)
    with ServiceRpcProxy("knowledge", config) as knowledge:
        created = knowledge.create_article(AGENT, ARTICLE)
    wait_for(lambda: [p for p in received if p["article"]["id"] == created["id"]])
    articles = open_database("knowledge").articles
    wait_for(lambda: "outbox_pending" not in articles.find_one({"_id": created["id"]}))


def test_replicas_search_what_the_other_published(container_factory, config):
    for _ in range(2):
        container_factory(KnowledgeService, config).start()
    with ServiceRpcProxy("knowledge", config) as knowledge:
        ids = [knowledge.create_article(AGENT, dict(ARTICLE, title=f"Камера {n}"))["id"]
               for n in range(6)]
        # Competing consumers: the searches land on both replicas, each must see all six.
        for _ in range(6):
            hits = knowledge.search(AGENT, {"q": "камеры", "limit": 10})["items"]
            assert sorted(hit["id"] for hit in hits) == sorted(ids)
