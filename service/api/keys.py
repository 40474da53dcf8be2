"""API keys in the state database (service/api/database.py): only sha256(secret) is stored; the key itself is
shown once, at creation.

A key reads `rq_<id>_<secret>`: the id finds the row, the secret (256 random bits) is compared by hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ragqa.service.api.database import Database, Schema, as_database, database_for

SCOPES = ("ask", "admin")
KEY_PREFIX = "rq_"

SCHEMA = Schema("keys", steps=(
    ("""CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_sha256 TEXT NOT NULL, scopes TEXT NOT NULL,
        groups TEXT NOT NULL, origins TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
        revoked_at DOUBLE PRECISION)""",),
))
_COLUMNS = "key_id, name, scopes, groups, origins, created_at, revoked_at"


class KeyStoreError(ValueError):
    """A key could not be created or revoked as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    key_id: str
    name: str
    scopes: frozenset[str]
    groups: frozenset[str]
    origins: tuple[str, ...]  # empty: any caller; else only browsers on these origins (widget keys)
    created_at: float
    revoked_at: float | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict:
        return {
            "key_id": self.key_id, "name": self.name, "scopes": sorted(self.scopes), "groups": sorted(self.groups),
            "origins": list(self.origins), "created_at": _iso(self.created_at),
            "revoked_at": _iso(self.revoked_at) if self.revoked_at else None,
        }


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_list(value: str | None) -> list[str]:
    """'a, b,,c' -> ['a', 'b', 'c']"""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def normalise_origin(origin: str) -> str:
    """Origins compare as scheme://host[:port] without a trailing slash, as browsers send them."""
    origin = origin.strip().rstrip("/")
    if not origin.startswith(("http://", "https://")) or "/" in origin.split("://", 1)[1]:
        raise KeyStoreError(f"origin {origin!r} must look like https://intranet.example (scheme, host, optional port)")
    return origin.lower()


class KeyStore:
    """Create, list, revoke and verify keys; each call takes its own session (server threads and the CLI)."""

    def __init__(self, where: Path | Database):
        """`where`: a data_dir (keys in data_dir/keys.sqlite) or a Database (`database_for(settings, "keys")`)."""
        self.db = as_database(where, "keys")

    @classmethod
    def for_settings(cls, settings) -> KeyStore:
        return cls(database_for(settings, "keys"))

    def create(self, *, name: str, scopes: list[str], groups: list[str] = (), origins: list[str] = ()) -> tuple[
            ApiKey, str]:
        """Store a new key; returns the record and the plaintext key (never stored, never shown again)."""
        name = name.strip()
        if not name:
            raise KeyStoreError("a key needs a --name (who or what uses it)")
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown or not scopes:
            raise KeyStoreError(f"scopes must be among {', '.join(SCOPES)}; got {', '.join(scopes) or 'none'}")
        origins = tuple(dict.fromkeys(normalise_origin(o) for o in origins))
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        record = ApiKey(key_id=key_id, name=name, scopes=frozenset(scopes), groups=frozenset(groups),
                        origins=origins, created_at=time.time())
        with self.db.session(SCHEMA) as db:
            db.execute(
                f"INSERT INTO api_keys ({_COLUMNS}, secret_sha256) VALUES (?,?,?,?,?,?,NULL,?)",
                (key_id, name, json.dumps(sorted(record.scopes)), json.dumps(sorted(groups)),
                 json.dumps(list(origins)), record.created_at, _hash(secret)),
            )
        return record, f"{KEY_PREFIX}{key_id}_{secret}"

    def list(self) -> list[ApiKey]:
        with self.db.session(SCHEMA, create=False) as db:
            rows = [] if db is None else db.execute(
                f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at").fetchall()
        return [_record(r) for r in rows]

    def revoke(self, key_id: str) -> ApiKey:
        key_id = key_id.strip()
        if key_id.startswith(KEY_PREFIX):  # accept the whole key too, so an operator can paste a leaked one
            key_id = key_id[len(KEY_PREFIX):].split("_", 1)[0]
        with self.db.session(SCHEMA, create=False) as db:
            if db is None:
                raise KeyStoreError(f"no key {key_id!r}: there are no keys in {self.db.where}")
            changed = db.execute(
                "UPDATE api_keys SET revoked_at=? WHERE key_id=? AND revoked_at IS NULL", (time.time(), key_id)
            ).rowcount
            row = db.execute(f"SELECT {_COLUMNS} FROM api_keys WHERE key_id=?", (key_id,)).fetchone()
        if row is None:
            raise KeyStoreError(f"no key {key_id!r}: `ragqa keys list` shows the ids")
        if not changed:
            raise KeyStoreError(f"key {key_id} was already revoked")
        return _record(row)

    def verify(self, presented: str) -> ApiKey | None:
        """The active key matching `presented`, else None (unknown, malformed, wrong secret or revoked)."""
        if not presented.startswith(KEY_PREFIX):
            return None
        key_id, _, secret = presented[len(KEY_PREFIX):].partition("_")
        if not key_id or not secret or len(presented) > 200:
            return None
        with self.db.session(SCHEMA, create=False) as db:
            row = None if db is None else db.execute(
                f"SELECT {_COLUMNS}, secret_sha256 FROM api_keys WHERE key_id=?", (key_id,)).fetchone()
        if row is None or not hmac.compare_digest(row[7], _hash(secret)):
            return None
        record = _record(row[:7])
        return record if record.active else None

    def get(self, key_id: str) -> ApiKey | None:
        """The key with this id, revoked or not (None: no such key)."""
        with self.db.session(SCHEMA, create=False) as db:
            row = None if db is None else db.execute(
                f"SELECT {_COLUMNS} FROM api_keys WHERE key_id=?", (key_id,)).fetchone()
        return None if row is None else _record(row)

    def is_active(self, key_id: str) -> bool:
        """True while a key with this id exists and is not revoked (tokens it issued stay valid only then)."""
        key = self.get(key_id)
        return key is not None and key.active

    def has_active_keys(self) -> bool:
        return any(k.active for k in self.list())

    def active_origins(self) -> set[str]:
        return {o for k in self.list() if k.active for o in k.origins}


def _record(row: tuple) -> ApiKey:
    key_id, name, scopes, groups, origins, created_at, revoked_at = row
    return ApiKey(key_id=key_id, name=name, scopes=frozenset(json.loads(scopes)), groups=frozenset(json.loads(groups)),
                  origins=tuple(json.loads(origins)), created_at=created_at, revoked_at=revoked_at)
