"""The stores behave the same on SQLite (embedded) and on a real PostgreSQL; rate limits are shared through Redis."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from ragqa.service.api.database import Database, DatabaseUnavailable, Schema, open_database
from ragqa.service.api.feedback import FeedbackStore
from ragqa.service.api.keys import KeyStore, KeyStoreError
from ragqa.service.api.ratelimit import RedisRateLimiter, redis_client
from ragqa.service.api.tokens import TokenSigner, load_secret

pytestmark = pytest.mark.integration  # starts PostgreSQL and Redis processes


@pytest.fixture(params=["sqlite", "postgresql"])
def opener(request, tmp_path):
    """open(name) -> a new Database object on one shared store, as a second process would open it."""
    if request.param == "sqlite":
        return lambda name: open_database(tmp_path / "data", name)
    url = request.getfixturevalue("postgres_url")
    return lambda name: open_database(tmp_path / "unused", name, url)


def test_a_key_made_through_one_process_is_verified_and_revoked_through_another(opener):
    one, two = KeyStore(opener("keys")), KeyStore(opener("keys"))
    record, key = one.create(name="hr-bot", scopes=["ask"], groups=["hr"], origins=["https://intranet.example"])
    seen = two.verify(key)
    assert seen is not None and seen.key_id == record.key_id and seen.groups == {"hr"}
    assert seen.origins == ("https://intranet.example",)
    assert two.verify(key[:-2] + "xx") is None
    assert two.has_active_keys() and two.active_origins() == {"https://intranet.example"}
    assert abs(two.list()[0].created_at - record.created_at) < 1e-3  # DOUBLE PRECISION, not PostgreSQL's REAL
    two.revoke(record.key_id)
    assert one.verify(key) is None and not one.is_active(record.key_id) and not one.has_active_keys()
    with pytest.raises(KeyStoreError, match="already revoked"):
        one.revoke(key)
    with pytest.raises(KeyStoreError, match="no key"):
        one.revoke("000000000000")


def test_every_process_signs_with_the_same_secret(opener):
    secrets = []
    threads = [threading.Thread(target=lambda: secrets.append(load_secret(opener("keys"), None))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(secrets) == 6 and len(set(secrets)) == 1 and len(secrets[0]) == 32
    token, _ = TokenSigner(secrets[0]).issue(subject="ann", groups=frozenset({"hr"}), ttl_s=60, issuer="proxy")
    assert TokenSigner(load_secret(opener("keys"), None)).verify(token).groups == {"hr"}


def test_feedback_recorded_through_one_process_is_listed_by_another(opener):
    one, two = FeedbackStore(opener("feedback")), FeedbackStore(opener("feedback"))
    assert two.recent() == []
    first = one.add(request_id="req-1", rating="up", comment="clear", caller="key:a")
    second = one.add(request_id="req-2", rating="down", comment=None, caller="key:b")
    assert second > first
    rows = two.recent()
    assert [r["request_id"] for r in rows] == ["req-2", "req-1"]
    assert rows[1] | {"created_at": None} == {"id": first, "request_id": "req-1", "rating": "up", "comment": "clear",
                                              "caller": "key:a", "created_at": None}
    assert [r["id"] for r in two.recent(request_id="req-1")] == [first]
    assert len(two.recent(limit=1)) == 1


def test_migrations_run_once_in_order_and_a_newer_schema_is_refused(opener):
    v1 = Schema("notes", steps=(("CREATE TABLE notes (id {id_pk}, body TEXT NOT NULL)",),))
    v2 = Schema("notes", steps=(*v1.steps, ("ALTER TABLE notes ADD COLUMN author TEXT",)))
    with opener("notes").session(v1) as db:
        db.execute("INSERT INTO notes (body) VALUES (?)", ("kept across the migration 50% of the time?",))
    ran = []
    for _ in range(3):  # separate processes starting together: one migrates, the others see version 2
        t = threading.Thread(target=lambda: ran.append(_insert(opener("notes"), v2)))
        t.start()
        t.join()
    with opener("notes").session(v2) as db:
        rows = db.execute("SELECT body, author FROM notes ORDER BY id").fetchall()
        assert db.execute("SELECT version FROM schema_version WHERE component='notes'").fetchone()[0] == 2
    assert rows[0] == ("kept across the migration 50% of the time?", None) and len(rows) == 4
    with pytest.raises(DatabaseUnavailable, match="newer than this ragqa knows"), opener("notes").session(v1):
        pass


def _insert(db: Database, schema: Schema) -> None:
    with db.session(schema) as s:
        s.execute("INSERT INTO notes (body, author) VALUES (?, ?)", ("x", "y"))


def test_an_existing_sqlite_key_file_from_before_migrations_is_adopted(tmp_path):
    """keys.sqlite as ragqa wrote it before schema versions: its keys keep working, its secret file too."""
    data = tmp_path / "data"
    data.mkdir()
    con = sqlite3.connect(data / "keys.sqlite")
    con.execute("CREATE TABLE api_keys (key_id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_sha256 TEXT NOT NULL, "
                "scopes TEXT NOT NULL, groups TEXT NOT NULL, origins TEXT NOT NULL, created_at REAL NOT NULL, "
                "revoked_at REAL)")
    import hashlib

    con.execute("INSERT INTO api_keys VALUES ('abc123', 'old', ?, '[\"ask\"]', '[]', '[]', ?, NULL)",
                (hashlib.sha256(b"s3cret").hexdigest(), time.time()))
    con.commit()
    con.close()
    (data / "token_secret").write_text("ab" * 32)
    store = KeyStore(data)
    assert store.verify("rq_abc123_s3cret").name == "old"
    assert load_secret(data, None) == bytes.fromhex("ab" * 32)


def test_a_database_that_cannot_be_reached_says_where_without_the_password():
    from ragqa.service.api.server import ServeRefused, check_can_serve
    from ragqa.settings import Settings
    from tests.scale.services import free_port

    url = f"postgresql://ragqa:hunter2secret@127.0.0.1:{free_port()}/ragqa"
    with pytest.raises(ServeRefused) as caught:
        check_can_serve(Settings(database_url=url, host="0.0.0.0"))
    assert "cannot reach the state database" in str(caught.value) and "hunter2secret" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
    with pytest.raises(DatabaseUnavailable, match="postgresql://"):
        open_database("unused", "keys", "mysql://x@y/z")


def test_a_database_lost_while_serving_answers_503_not_500():
    from ragqa.service.api.errors import classify
    from tests.scale.services import free_port

    store = KeyStore(open_database("unused", "keys", f"postgresql://ragqa:pw@127.0.0.1:{free_port()}/ragqa"))
    with pytest.raises(DatabaseUnavailable) as caught:
        store.verify("rq_abc_def")
    error = classify(caught.value)
    assert error.status == 503 and error.headers["Retry-After"] and "127.0.0.1" not in error.detail


@pytest.mark.slow
def test_a_server_whose_database_goes_away_answers_503_with_retry_after(tmp_path, embedder):
    """End to end: a real `ragqa serve` on a real PostgreSQL that is then stopped. A key it has not seen must be
    checked in the database, which is gone: the caller gets 503 and Retry-After, never a 500 or a stack trace."""
    import json

    import httpx

    from tests.api.helpers import Server, build_index, run_cli
    from tests.scale.services import fresh_database, postgres_server

    with postgres_server() as admin_url:
        env = build_index(tmp_path, embedder) | {"RAGQA_DATABASE_URL": fresh_database(admin_url, "lost"),
                                                 "RAGQA_REQUIRE_AUTH": "true"}
        made = run_cli(["keys", "create", "--name", "bot", "--scopes", "ask", "--json"], env=env)
        assert made.returncode == 0, made.stderr
        key = json.loads(made.stdout)["key"]
        server = Server(tmp_path, env).start()
    try:  # the database has stopped now; the server still runs
        lost = httpx.post(f"{server.url}/v1/search", json={"query": "parking"}, timeout=60,
                          headers={"Authorization": f"Bearer {key[:-4]}abcd"})
        assert lost.status_code == 503, lost.text
        assert lost.headers.get("retry-after") and "Traceback" not in lost.text
        assert "127.0.0.1" not in lost.json()["detail"]  # where the database lives is not told to callers
    finally:
        server.stop()


def test_redis_buckets_are_shared_by_every_replica(redis_url):
    one = RedisRateLimiter(redis_client(redis_url), "caller", per_minute=600, burst=5)
    two = RedisRateLimiter(redis_client(redis_url), "caller", per_minute=600, burst=5)
    waits = [limiter.take("key:a") for limiter in (one, two, one, two, one)]
    assert waits == [0.0] * 5
    refused = two.take("key:a")
    assert 0 < refused <= 0.1  # 10 a second: the next token within a tenth of a second
    assert one.take("key:b") == 0.0  # another caller has its own bucket
    time.sleep(0.25)
    assert one.take("key:a") == 0.0  # refilled at per_minute / 60 a second


def test_an_unreachable_redis_falls_back_to_limits_in_this_process(caplog):
    from tests.scale.services import free_port

    limiter = RedisRateLimiter(redis_client(f"redis://127.0.0.1:{free_port()}/0"), "caller", per_minute=60,
                               burst=2)
    assert [limiter.take("key:a") > 0 for _ in range(3)] == [False, False, True]
    assert "limiting in this process only" in caplog.text
    assert caplog.text.count("limiting in this process only") == 1  # logged once, not per request
