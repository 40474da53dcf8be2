"""One real `ragqa serve` process over an index with restricted articles, shared by the HTTP hardening tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.hardening.restricted import ARTICLES, write_restricted_corpus

# Configured secrets the server holds but must never print, log or return (see test_secrets.py).
OPENAI_KEY = "sk-hardening-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
TOKEN_SECRET = "token-secret-hardening-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
RATE_LIMIT_PER_MINUTE = 120  # low enough that the flood test reaches it in seconds, high enough for the others

# name -> (scopes, groups): every test uses its own keys, so rate-limit buckets never interfere.
KEYS = {
    "alice": ("ask", "hr"),
    "bob": ("ask", "eng"),
    "carol": ("ask", ""),  # public articles only
    "dave": ("ask", "it-admins"),
    "admin": ("admin,ask", ""),
    "mallory": ("ask", "eng"),  # sends malformed requests
    "flooder": ("ask", "eng"),
    "steady1": ("ask", "eng"),
    "steady2": ("ask", "hr"),
    "auditor": ("ask", "eng"),  # the secrets test's own traffic
}


@dataclass
class Hardened:
    server: object  # tests.api.helpers.Server
    keys: dict[str, str]
    root: Path
    env: dict
    responses: list[str] = field(default_factory=list)  # bodies seen by tests, scanned for secrets later

    @property
    def url(self) -> str:
        return self.server.url

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 60), **kwargs)


def make_keys(data_dir: Path) -> dict[str, str]:
    from ragqa.service.api.keys import KeyStore, split_list

    store = KeyStore(data_dir)
    return {name: store.create(name=name, scopes=split_list(scopes), groups=split_list(groups))[1]
            for name, (scopes, groups) in KEYS.items()}


def build_restricted_index(root: Path, embedder) -> dict:
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    settings = Settings(index_dir=root / "index", data_dir=root / "data")
    report = ingest_paths([write_restricted_corpus(root / "docs")], settings=settings, embedder=embedder)
    assert not report.failures and report.added == len(ARTICLES), report.as_dict()
    return {"RAGQA_INDEX_DIR": str(settings.index_dir), "RAGQA_DATA_DIR": str(settings.data_dir)}


@pytest.fixture(scope="session")
def hardened(tmp_path_factory, embedder):
    """The server: auth required, no trusted proxy (so forwarded-identity headers must be ignored)."""
    from tests.api.helpers import Server

    root = tmp_path_factory.mktemp("hardened")
    env = build_restricted_index(root, embedder)
    keys = make_keys(root / "data")
    env |= {"RAGQA_REQUIRE_AUTH": "true", "RAGQA_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT_PER_MINUTE),
            "RAGQA_TRUSTED_PROXY_IPS": "[]", "RAGQA_RELOAD_POLL_S": "0.5",
            "RAGQA_OPENAI_API_KEY": OPENAI_KEY, "RAGQA_TOKEN_SECRET": TOKEN_SECRET}
    server = Server(root, env).start()
    yield Hardened(server=server, keys=keys, root=root, env=env)
    server.stop()
