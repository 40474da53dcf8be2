"""BEIR-layout folders (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) as evaluation questions and an index."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ragqa.eval.dataset import DatasetError, Question
from ragqa.service.composition import open_index
from ragqa.types import Article


@dataclass
class BeirData:
    name: str
    split: str
    articles: list[Article]
    questions: list[Question]


def load_beir_questions(folder: Path, *, split: str = "test", limit: int | None = None) -> BeirData:
    """Queries with a relevant document become answerable questions whose graded sources are the qrels."""
    from ragqa.eval.bench_retrieval import load_beir

    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"BEIR folder {folder} does not exist")
    try:
        articles, queries, qrels = load_beir(folder, split)
    except (KeyError, ValueError) as exc:
        raise DatasetError(f"cannot read {folder} as a BEIR folder: {exc}") from None
    questions = []
    for qid, text in queries.items():
        grades = {d: g for d, g in qrels.get(qid, {}).items() if g > 0}
        if not grades:
            continue  # trec_eval ignores queries without a relevant document; so do we
        questions.append(Question(id=qid, question=text, answerable=True, expected_sources=tuple(grades),
                                  type="beir", relevance=grades))
    if limit:
        questions = questions[:limit]
    if not questions:
        raise DatasetError(f"{folder} has no query with a relevant document in qrels/{split}.tsv")
    return BeirData(name=folder.resolve().name, split=split, articles=articles, questions=questions)


def default_index_dir(settings, name: str) -> Path:
    """Shared with `ragqa bench-retrieval`, so one ingest of a dataset serves both commands."""
    return Path(settings.data_dir) / "beir" / name


def build_beir_index(data: BeirData, *, settings, embedder, index_dir: Path | None = None):
    """Ingest the dataset's documents (incremental: an unchanged corpus embeds nothing); returns Settings for it."""
    from ragqa.index.ingest import upsert_articles

    settings = settings.model_copy(update={"index_dir": Path(index_dir or default_index_dir(settings, data.name))})
    report = upsert_articles(data.articles, settings=settings, embedder=embedder, root=f"beir:{data.name}")
    return settings, report


class RetrievalOnly:
    """What the runner needs in BEIR mode: search over one index, no answering."""

    def __init__(self, settings, embedder):

        self.embedder = embedder
        self.index = open_index(settings, embedder)

    def search(self, query: str, *, k: int, groups: frozenset[str] | None = None):
        return self.index.retriever().search(query, k=k, groups=groups)
