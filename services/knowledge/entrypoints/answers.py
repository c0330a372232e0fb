"""Tickets answered with an article: the relation the gateway checks before commenting and
records after (see gateway/knowledge/answers.py for the whole orchestration)."""
from nameko.rpc import rpc

from services.knowledge.access import answerer
from services.knowledge.schemas import AnswerRecordSchema, AnswerSchema
from services.shared.errors import EXPECTED
from services.shared.validation import load

ANSWER, ANSWER_RECORD = AnswerSchema(), AnswerRecordSchema()


class AnswerEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def get_answer(self, actor, ticket_id, article_id):
        """The relation of the ticket to the article, or None when it was not answered with it."""
        actor = answerer(actor)
        found = self.store.answers.find(actor.account_id, str(ticket_id), str(article_id))
        return None if found is None else ANSWER.dump(found)

    @rpc(expected_exceptions=EXPECTED)
    def record_answer(self, actor, article_id, ticket_id, comment_id):
        """Store that the comment answered the ticket with the article; idempotent per ticket and
        article: {"answer": relation, "created": False} when it was stored before."""
        actor = answerer(actor)
        data = load(ANSWER_RECORD, {"article_id": article_id, "ticket_id": ticket_id,
                                    "comment_id": comment_id})
        self.store.articles.readable(actor, data["article_id"])
        answer, created = self.store.answers.record(actor.account_id, actor.as_reference(),
                                                 data["article_id"], data["ticket_id"],
                                                 data["comment_id"])
        return {"answer": ANSWER.dump(answer), "created": created}
