"""The knowledge database: sections, articles with their versions, the search index,
suggestion records and answer relations; one module per collection group."""
from services.knowledge.store.answers import AnswerStore
from services.knowledge.store.article_feedback import ArticleFeedbackStore
from services.knowledge.store.articles import ArticleStore
from services.knowledge.store.search_index import AccountIndexes
from services.knowledge.store.sections import SectionStore
from services.knowledge.store.suggestions import SuggestionStore
from services.knowledge.store.synonyms import SynonymStore
from services.shared.audit_trail import AuditTrail

__all__ = ["AccountIndexes", "Store"]


class Store:
    """What the service's workers get: the knowledge database's stores. `indexes` are the
    process's in-memory search indexes, shared by every worker (`shared_state`)."""

    def __init__(self, db, indexes=None):
        self.sections = SectionStore(db)
        indexes = indexes if indexes is not None else AccountIndexes()
        self.articles = ArticleStore(db, indexes)
        self.synonyms = SynonymStore(db, indexes)
        self.suggestions = SuggestionStore(db)
        self.answers = AnswerStore(db)
        self.audit = AuditTrail(db)
        self.feedback = ArticleFeedbackStore(db)

    @staticmethod
    def shared_state(db):
        return AccountIndexes()

    @staticmethod
    def create_indexes(db):
        SectionStore.create_indexes(db)
        ArticleStore.create_indexes(db)
        SynonymStore.create_indexes(db)
        SuggestionStore.create_indexes(db)
        AnswerStore.create_indexes(db)
        AuditTrail.create_indexes(db)
        ArticleFeedbackStore.create_indexes(db)
