"""Suggestions for a draft ticket, what was opened, whether a ticket followed; the deflection
report over them."""
from nameko.rpc import rpc

from services.knowledge import suggestions
from services.knowledge.access import reader, report_reader
from services.knowledge.schemas import (DeflectionQuerySchema, DeflectionReportSchema,
                                        SuggestionOpenedSchema, SuggestionOutcomeSchema,
                                        SuggestionRecordSchema, SuggestionRequestSchema,
                                        SuggestionSchema)
from services.shared.errors import EXPECTED
from services.shared.validation import load

REQUEST, SUGGESTION, RECORD = (SuggestionRequestSchema(), SuggestionSchema(),
                               SuggestionRecordSchema())
OPENED, OUTCOME = SuggestionOpenedSchema(), SuggestionOutcomeSchema()
REPORT_QUERY, REPORT = DeflectionQuerySchema(), DeflectionReportSchema()


class SuggestionEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def suggest(self, actor, data):
        actor = reader(actor)
        return SUGGESTION.dump(suggestions.suggest(self.store, actor, load(REQUEST, data)))

    @rpc(expected_exceptions=EXPECTED)
    def suggestion_in_account(self, actor, suggestion_id):
        """Whether a ticket of the caller's account may name this suggestion."""
        actor = reader(actor)
        return self.store.suggestions.of_account(actor.account_id, str(suggestion_id))

    @rpc(expected_exceptions=EXPECTED)
    def get_suggestion(self, actor, suggestion_id):
        actor = reader(actor)
        return RECORD.dump(self.store.suggestions.get(actor, str(suggestion_id)))

    @rpc(expected_exceptions=EXPECTED)
    def record_suggestion_opened(self, actor, suggestion_id, data):
        actor = reader(actor)
        data = load(OPENED, data)
        return RECORD.dump(self.store.suggestions.opened(actor, str(suggestion_id),
                                                      data["article_id"]))

    @rpc(expected_exceptions=EXPECTED)
    def record_suggestion_outcome(self, actor, suggestion_id, data):
        actor = reader(actor)
        data = load(OUTCOME, data)
        return RECORD.dump(self.store.suggestions.outcome(actor, str(suggestion_id), data))

    @rpc(expected_exceptions=EXPECTED)
    def deflection_report(self, actor, query):
        actor = report_reader(actor)
        return REPORT.dump(suggestions.deflection_report(self.store, actor.account_id,
                                                         load(REPORT_QUERY, query)))
