"""A real `ragqa serve` over the sample corpus plus one restricted article, for the integration-layer tests
(OpenAI-compatible chat, the LangChain retriever)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.api.helpers import Server, create_key
from tests.hardening.restricted import ARTICLES, RESTRICTED

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SETTLEMENT = next(r for r in RESTRICTED if r.doc_id == "legal/settlement")  # audience: legal


@dataclass
class CorpusServer:
    server: Server
    keys: dict[str, str]  # "legal": a key in the article's group, "eng": an outsider

    @property
    def url(self) -> str:
        return self.server.url


def start_corpus_server(root: Path, embedder) -> CorpusServer:
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    restricted = root / "restricted"
    (restricted / "legal").mkdir(parents=True)
    (restricted / "legal" / "settlement.md").write_text(ARTICLES["legal/settlement.md"], encoding="utf-8")
    settings = Settings(index_dir=root / "index", data_dir=root / "data")
    report = ingest_paths([CORPUS, restricted], settings=settings, embedder=embedder)
    assert report.chunks > 0 and not report.failures, report.as_dict()
    data = root / "data"
    keys = {"legal": create_key(data, name="legal", groups="legal"), "eng": create_key(data, name="eng", groups="eng")}
    env = {"RAGQA_INDEX_DIR": str(settings.index_dir), "RAGQA_DATA_DIR": str(data), "RAGQA_REQUIRE_AUTH": "true",
           "RAGQA_RATE_LIMIT_PER_MINUTE": "100000"}
    return CorpusServer(Server(root, env).start(), keys)
