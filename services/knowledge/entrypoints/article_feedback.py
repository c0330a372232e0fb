"""Was this article helpful: any reader answers for the articles they may read (404 outside
their scope, as for an unknown id); the people who write the base read the counts."""
from nameko.rpc import rpc

from services.knowledge.access import reader, writer
from services.knowledge.schemas import ArticleFeedbackSchema, ArticleFeedbackWriteSchema
from services.shared.errors import EXPECTED
from services.shared.validation import load

FEEDBACK_WRITE, FEEDBACK = ArticleFeedbackWriteSchema(), ArticleFeedbackSchema()


class ArticleFeedbackEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def record_article_feedback(self, actor, article_id, data):
        actor = reader(actor)
        data = load(FEEDBACK_WRITE, data)
        article = self.store.articles.readable(actor, str(article_id))
        self.store.feedback.record(actor, article["_id"], data["helpful"])
        return {"helpful": data["helpful"]}

    @rpc(expected_exceptions=EXPECTED)
    def article_feedback(self, actor, article_id):
        actor = writer(actor)
        article = self.store.articles.readable(actor, str(article_id))
        return FEEDBACK.dump(self.store.feedback.counts(actor.account_id, article["_id"]))
