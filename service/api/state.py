"""The one service object of a server process: model, index, answerer and stores, built once at start-up."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ragqa.service.api.answer_log import SCHEMA as ANSWERS_SCHEMA
from ragqa.service.api.answer_log import AnswerLog, entry_for
from ragqa.service.api.database import DatabaseUnavailable, database_for
from ragqa.service.api.feedback import SCHEMA as FEEDBACK_SCHEMA
from ragqa.service.api.feedback import FeedbackStore
from ragqa.service.api.keys import SCHEMA as KEYS_SCHEMA
from ragqa.service.api.keys import KeyStore
from ragqa.service.api.metrics import Metrics
from ragqa.service.api.network import ProxyAllowList, is_loopback
from ragqa.service.api.question_vectors import QuestionVectors
from ragqa.service.api.ratelimit import RateLimiter, RedisRateLimiter, build_limiter, redis_client
from ragqa.service.api.tokens import TokenSigner, load_secret
from ragqa.service.api.writes import WriteGate
from ragqa.service.composition import build_answer_service, build_embedder, open_index

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.index.manager import IndexManager
    from ragqa.service.answer import AnswerService
    from ragqa.service.api.auth import Identity
    from ragqa.service.models import Answer
    from ragqa.settings import Settings

log = logging.getLogger("ragqa.api")

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"


@dataclass
class ApiState:
    settings: Settings
    embedder: Embedder
    index: IndexManager
    answers: AnswerService
    keys: KeyStore
    tokens: TokenSigner
    feedback: FeedbackStore
    limiter: RateLimiter | RedisRateLimiter
    widget_clients: RateLimiter | RedisRateLimiter  # widget keys: per (key, origin, client address)
    widget_ceiling: RateLimiter | RedisRateLimiter  # widget keys: per (key, origin), all clients together
    metrics: Metrics
    proxies: ProxyAllowList
    writes: WriteGate
    answer_log: AnswerLog
    question_vectors: QuestionVectors  # insights' embeddings of logged questions, kept between loads
    widget_dir: Path = WIDGET_DIR
    _auth_cache: tuple[float, bool] = field(default=(0.0, False), repr=False)
    _key_origins: set[str] = field(default_factory=set, repr=False)

    @property
    def auth_required(self) -> bool:
        """Explicit RAGQA_REQUIRE_AUTH wins; otherwise anonymous access exists only in the zero-config loopback demo.

        Checked per anonymous request (cached 2 s) so a key created while the server runs switches auth on.
        """
        if self.settings.require_auth is not None:
            return self.settings.require_auth
        if not is_loopback(self.settings.host) or self.proxies:
            return True
        checked_at, required = self._auth_cache
        if time.monotonic() - checked_at > 2.0:
            required = self.keys.has_active_keys()
            self._auth_cache = (time.monotonic(), required)
        return required

    def observe_answer(self, answer: Answer, caller: Identity, question: str, history=()) -> None:
        """Count the answer in the metrics and queue it for the answer log (off the request path)."""
        self.metrics.observe_answer(answer)
        if self.answer_log.enabled:
            try:
                entry = entry_for(answer, caller=caller.caller, groups=caller.groups, question=question,
                                  history=history)
            except Exception:  # the log never fails an answer
                log.warning("answer log: could not make an entry for %s", answer.request_id, exc_info=True)
                return
            self.answer_log.record(entry)

    def cors_origins(self) -> set[str]:
        """RAGQA_CORS_ORIGINS plus the origins widget keys are bound to (a widget key implies its page may call).

        While the state database is unreachable, the widget origins last read stand in (requests then get 503
        from the key check, with CORS headers a browser can read).
        """
        configured = {o.rstrip("/").lower() for o in self.settings.cors_origins}
        try:
            self._key_origins = self.keys.active_origins()
        except DatabaseUnavailable as exc:
            log.warning("widget origins not refreshed: %s", exc)
        return configured | self._key_origins


def build_state(settings: Settings, embedder: Embedder | None = None) -> ApiState:
    """Load the model (unless given), open the index and stores. Heavy: run it off the event loop.

    Stores use RAGQA_DATABASE_URL (shared by replicas) or SQLite files in data_dir; rate limits use
    RAGQA_REDIS_URL (shared) or this process's memory. The schema is migrated here, before serving.
    """
    keys_db, feedback_db = database_for(settings, "keys"), database_for(settings, "feedback")
    keys_db.migrate(KEYS_SCHEMA)
    feedback_db.migrate(FEEDBACK_SCHEMA, ANSWERS_SCHEMA)  # the answer log lives beside the feedback it joins
    secret = settings.token_secret.get_secret_value() if settings.token_secret else None
    tokens = TokenSigner(load_secret(keys_db, secret))
    redis = redis_client(settings.redis_url.get_secret_value()) if settings.redis_url else None
    embedder = embedder or build_embedder(settings)
    index = open_index(settings, embedder)
    return ApiState(
        settings=settings,
        embedder=embedder,
        index=index,
        answers=build_answer_service(settings, index, embedder),
        keys=KeyStore(keys_db),
        tokens=tokens,
        feedback=FeedbackStore(feedback_db),
        limiter=build_limiter(redis, "caller", settings.rate_limit_per_minute),
        widget_clients=build_limiter(redis, "widget-client", settings.widget_rate_limit_per_client),
        widget_ceiling=build_limiter(redis, "widget-origin", settings.widget_rate_limit_per_minute),
        metrics=Metrics(),
        proxies=ProxyAllowList(settings.trusted_proxy_ips),
        writes=WriteGate(max_pending=settings.max_pending_writes, lock_wait_s=settings.write_lock_wait_s),
        answer_log=AnswerLog(feedback_db, settings.answer_log_days),
        question_vectors=QuestionVectors(embedder),
    )
