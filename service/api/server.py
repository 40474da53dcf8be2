"""Run the API with uvicorn: refuse an unauthenticated public bind, JSON logs, graceful shutdown on SIGTERM."""

from __future__ import annotations

import logging
import signal
from typing import TYPE_CHECKING

from ragqa.service.api.keys import KeyStore
from ragqa.service.api.network import is_loopback

if TYPE_CHECKING:
    from ragqa.settings import Settings

log = logging.getLogger("ragqa.server")


class ServeRefused(Exception):
    """The server must not start as configured; the message says how to fix it."""


def check_shared_state(settings: Settings) -> KeyStore:
    """The key store, once the state database (and Redis, when configured) answer; ServeRefused saying why not."""
    from ragqa.service.api.database import DatabaseUnavailable
    from ragqa.service.api.ratelimit import RateLimitStoreError, redis_client

    try:
        keys = KeyStore.for_settings(settings)
        keys.has_active_keys()  # connects and migrates: a wrong URL fails here, in a second
    except DatabaseUnavailable as exc:
        raise ServeRefused(f"{exc} (RAGQA_DATABASE_URL)") from None
    if settings.redis_url:
        try:
            client = redis_client(settings.redis_url.get_secret_value())
        except RateLimitStoreError as exc:
            raise ServeRefused(str(exc)) from None
        import redis

        try:
            client.ping()
        except redis.RedisError as exc:
            raise ServeRefused(f"cannot reach Redis at RAGQA_REDIS_URL ({type(exc).__name__}: {exc}); start it "
                               "or unset RAGQA_REDIS_URL to keep rate limits in this process") from None
    return keys


def check_can_serve(settings: Settings) -> None:
    """Secure by default: any non-loopback bind needs API keys or a trusted proxy. Cheap (no model loaded)."""
    keys = check_shared_state(settings)
    if is_loopback(settings.host):
        return
    if settings.trusted_proxy_ips or keys.has_active_keys():
        return
    raise ServeRefused(
        f"refusing to serve on {settings.host}:{settings.port} without authentication. Create a key with "
        f"`ragqa keys create --name NAME --scopes ask` (keys live in {keys.db.where}), or set "
        "RAGQA_TRUSTED_PROXY_IPS for an SSO proxy; or bind to 127.0.0.1 for a local demo."
    )


def _exit_cleanly(signum, frame) -> None:
    # uvicorn re-raises the signal after its graceful shutdown; end with status 0 instead of dying by it.
    raise SystemExit(0)


def run_server(settings: Settings, *, log_level: str = "info", log_format: str = "auto") -> int:
    """Serve until SIGTERM/SIGINT; in-flight requests get settings.shutdown_grace_s to finish. Returns an exit code."""
    import uvicorn

    from ragqa.service.api.app import create_app
    from ragqa.service.api.logs import configure_logging
    from ragqa.service.api.protocol import timed_protocol
    from ragqa.service.composition import tune_for_serving

    check_can_serve(settings)
    configure_logging(log_level, log_format)
    tune_for_serving()
    if not is_loopback(settings.host) and settings.require_auth is False:
        log.warning("RAGQA_REQUIRE_AUTH=false on a public address: anonymous callers can read public articles")
    config = uvicorn.Config(
        create_app(settings),
        http=timed_protocol(header_timeout_s=settings.header_timeout_s, body_timeout_s=settings.body_timeout_s),
        host=settings.host,
        port=settings.port,
        log_config=None,  # our JSON handler, configured above
        access_log=False,  # our middleware logs each request with its id
        proxy_headers=False,  # never trust X-Forwarded-For blindly; trusted proxies are our own setting
        server_header=False,
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        timeout_keep_alive=10,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, _exit_cleanly)
    server.run()
    if not server.started:
        log.error("the server did not start (see the errors above)")
        return 1
    return 0
