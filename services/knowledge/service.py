"""The knowledge service: sections, articles with their versions, search over them with the
account's synonym dictionary, suggestions for draft tickets with the deflection report, and
tickets answered with an article.
Entrypoints live in entrypoints/, one mixin per domain; this class puts them together with
their dependencies."""
from nameko.events import EventDispatcher

from services.knowledge.entrypoints import (answers, article_feedback, articles,
                                            public_reading, sections, suggestions,
                                            synonyms, ticket_events)
from services.knowledge.store import Store
from services.shared import audit_trail, dead_letter_entrypoints, health
from services.shared.events import Inbox
from services.shared.logs import LogContext
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class KnowledgeService(health.HealthEntrypoints, sections.SectionEntrypoints,
                       articles.ArticleEntrypoints, synonyms.SynonymEntrypoints,
                       suggestions.SuggestionEntrypoints,
                       answers.AnswerEntrypoints, article_feedback.ArticleFeedbackEntrypoints,
                       public_reading.PublicReadingEntrypoints,
                       ticket_events.TicketEventHandlers,
                       audit_trail.AuditEntrypoints,
                       dead_letter_entrypoints.DeadLetterEntrypoints):
    name = "knowledge"

    store = StoreProvider("knowledge", Store)
    dispatch = EventDispatcher()
    inbox = Inbox("knowledge")
    metrics = ServiceMetrics(default_port=9102)
    log_context = LogContext()  # the gateway's request id on every log line
