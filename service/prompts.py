"""Prompt templates are plain files in prompts/ ($name placeholders), loaded by name and cached."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from ragqa.service.injection import neutralise_markup


@lru_cache(maxsize=64)
def _read(folder: Path, name: str) -> str:
    path = folder / f"{name}.md"
    if not path.is_file():
        raise FileNotFoundError(f"prompt template {path} is missing (RAGQA_PROMPTS_DIR points at {folder})")
    return path.read_text(encoding="utf-8")


def load_prompt(folder: Path, name: str) -> str:
    return _read(Path(folder).resolve(), name)


def render_prompt(folder: Path, name: str, **values: object) -> str:
    """Fill $placeholders; passage text may contain '$' or braces, so values are never re-interpreted."""
    return Template(load_prompt(folder, name)).safe_substitute({k: str(v) for k, v in values.items()})


def fence_passages(passages) -> str:
    """Passages as numbered, fenced blocks: the model is told the content is data, not instructions. Passages of
    one article sit together (grouped sources), current articles first, each header saying whether the article
    is current or superseded; refs keep the retrieval numbering."""
    first_seen: dict[str, int] = {}
    for i, p in enumerate(passages):
        first_seen.setdefault(p.doc_id, i)

    def order(p) -> tuple[bool, int]:
        lifecycle = getattr(p, "lifecycle", "")
        return bool(lifecycle) and not lifecycle.startswith("current"), first_seen[p.doc_id]

    grouped = sorted(passages, key=order)  # stable: retrieval order within an article
    blocks = []
    for p in grouped:
        where = " > ".join(p.headings)
        section = f' section="{_attr(where)}"' if where else ""
        status = f' status="{_attr(p.lifecycle)}"' if getattr(p, "lifecycle", "") else ""
        header = f'<passage ref="{p.ref}" title="{_attr(p.title)}"{status}{section}>'
        # A passage cut from the middle of a table gets its table's header line back, so its rows have columns.
        text = f"{p.table_header}\n{p.text}" if getattr(p, "table_header", "") else p.text
        body = neutralise_markup(text)  # an article cannot close its fence or open a fake passage
        blocks.append(f"{header}\n{body}\n</passage>")
    return "\n\n".join(blocks)


def _attr(value: str) -> str:
    return neutralise_markup(value).replace('"', "'").replace("\n", " ")
