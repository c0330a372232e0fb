"""The dead-letter RPC every consuming service mixes in: list, get, replay, discard
(dead_letters.py holds the rules; docs/conventions.md says how it is used)."""
import logging

from nameko.rpc import rpc
from prometheus_client import Counter

from services.shared.actor import Actor
from services.shared.clock import utcnow
from services.shared.dead_letter_schemas import (DeadLetterPageSchema, DeadLetterQuerySchema,
                                                 DeadLetterSchema)
from services.shared.dead_letters import DeadLetters, replay_for, scope_of, shown
from services.shared.errors import EXPECTED
from services.shared.storage import StoreProvider
from services.shared.validation import load

log = logging.getLogger(__name__)

LETTER, LETTERS, QUERY = DeadLetterSchema(), DeadLetterPageSchema(), DeadLetterQuerySchema()
REPLAYS = Counter("dead_letter_replays_total", "Replays of dead letters by admins.",
                  ["service", "event_type", "outcome"])


class OwnDeadLetters(StoreProvider):
    """DeadLetters over the database of the service it is declared on."""

    def __init__(self):
        super().__init__(None, DeadLetters)

    def setup(self):
        self.service_name = self.container.service_name
        super().setup()


class DeadLetterEntrypoints:
    dead_letters = OwnDeadLetters()

    def actor_of(self, actor):
        """The actor the gateway resolved. The tickets service's Guard comes before this mixin
        and authenticates a bearer credential instead, in the same call."""
        return Actor.from_dict(actor)

    @rpc(expected_exceptions=EXPECTED)
    def list_dead_letters(self, actor, query):
        scope = scope_of(self.actor_of(actor))
        letters, next_cursor = self.dead_letters.list(scope, load(QUERY, query))
        return LETTERS.dump({"items": [self._shown(letter) for letter in letters],
                             "next_cursor": next_cursor})

    @rpc(expected_exceptions=EXPECTED)
    def get_dead_letter(self, actor, letter_id):
        scope = scope_of(self.actor_of(actor))
        return LETTER.dump(self._shown(self.dead_letters.get(scope, str(letter_id))))

    @rpc(expected_exceptions=EXPECTED)
    def replay_dead_letter(self, actor, letter_id):
        """Run the letter's handler again: `replayed` when it succeeds, `dead` with the new
        error when it fails (answered, not raised: the replay itself worked)."""
        actor = self.actor_of(actor)
        by = actor.as_reference()
        letter = self.dead_letters.claim_replay(scope_of(actor), str(letter_id), by=by,
                                                now=utcnow())
        if not self.dead_letters.reopen(letter):
            done = self.dead_letters.replayed(letter, by=by, now=utcnow(),
                                              outcome="already_handled")
            return self._replayed(done, "already_handled")
        replay = replay_for(type(self), letter["source"], letter["event_type"])
        try:
            if replay is None:
                raise LookupError(f"{type(self).name} no longer handles "
                                  f"{letter['source']}.{letter['event_type']}.")
            replay.handler(self, letter["payload"])
        except Exception as error:  # whatever the handler raised is the letter's new error
            log.warning("dead letter replay failed", exc_info=True,
                        extra={"letter_id": letter["_id"]})
            return self._replayed(self.dead_letters.replay_failed(
                letter, by=by, now=utcnow(), error=repr(error)), "failed")
        return self._replayed(self.dead_letters.replayed(letter, by=by, now=utcnow()), "handled")

    @rpc(expected_exceptions=EXPECTED)
    def discard_dead_letter(self, actor, letter_id):
        actor = self.actor_of(actor)
        letter = self.dead_letters.discard(scope_of(actor), str(letter_id),
                                           by=actor.as_reference(), now=utcnow())
        return LETTER.dump(self._shown(letter))

    def _replayed(self, letter, outcome):
        REPLAYS.labels(type(self).name, letter["event_type"], outcome).inc()
        return LETTER.dump(self._shown(letter))

    def _shown(self, letter):
        replay = replay_for(type(self), letter["source"], letter["event_type"])
        return dict(letter, payload=shown(letter["payload"], replay.hidden if replay else ()))
