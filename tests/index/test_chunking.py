"""Chunking with the real tokenizer: every chunk fits the model, offsets are exact, nothing is left out."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.chunking import Chunker, contextual_text, make_chunker, markdown_sections
from index.loaders import article_from_text, load_paths
from index.types import Article, Chunk

SEED_ARTICLES = Path(__file__).resolve().parents[2].parent / "shared" / "seed-articles"
WORDS = ("the staff leave policy office travel expense laptop password review claim approve manager porto "
         "leeds receipt hotel badge visitor parking holiday request").split()


def prose(rng: random.Random, n_words: int) -> str:
    """Sentences of ordinary words, about 1.2 word pieces per word."""
    words = [rng.choice(WORDS) for _ in range(n_words)]
    return " ".join(w + ("." if i % 17 == 16 else "") for i, w in enumerate(words)) + "."


def check_chunks(article: Article, chunks: list[Chunk], count_tokens, max_tokens: int) -> None:
    """The chunker's contract, checked with the same tokenizer the model uses."""
    assert chunks, "an article with text must give chunks"
    covered = bytearray(len(article.text))
    for ordinal, chunk in enumerate(chunks):
        assert chunk.ordinal == ordinal
        assert chunk.chunk_id == f"{article.doc_id}#{ordinal}"
        assert chunk.doc_id == article.doc_id
        assert article.text[chunk.start:chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() and chunk.text
        tokens = count_tokens(contextual_text(article.title, chunk))
        assert tokens <= max_tokens, f"{chunk.chunk_id}: {tokens} tokens > {max_tokens}"
        assert chunk.token_count == tokens
        covered[chunk.start:chunk.end] = b"\x01" * (chunk.end - chunk.start)
    missing = [i for i, ch in enumerate(article.text) if not ch.isspace() and not covered[i]]
    assert not missing, f"text not in any chunk: {article.text[missing[0]:missing[0] + 60]!r}"
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


@pytest.fixture(scope="module")
def model_max(embedder) -> int:
    return embedder.max_seq_length


@pytest.fixture(scope="module")
def chunker(embedder, model_max) -> Chunker:
    return Chunker(embedder.count_tokens, max_tokens=model_max, overlap_tokens=32)


# --- the shared seed articles --------------------------------------------------------------------------


@pytest.mark.skipif(not SEED_ARTICLES.is_dir(), reason="../shared/seed-articles is not available")
@pytest.mark.parametrize("max_tokens", [None, 64])
def test_seed_articles_chunks_fit_the_model(embedder, settings_factory, max_tokens):
    settings = settings_factory() if max_tokens is None else settings_factory(chunk_tokens=max_tokens)
    chunker = make_chunker(settings, embedder)
    limit = chunker.max_tokens
    assert limit == min(settings.chunk_tokens, embedder.max_seq_length)
    articles = load_paths([SEED_ARTICLES]).articles
    assert len(articles) == 5
    for article in articles:
        chunks = chunker.chunk(article)
        check_chunks(article, chunks, embedder.count_tokens, limit)
        # Sized to the budget: not a scatter of fragments.
        assert sum(c.token_count for c in chunks) / len(chunks) > limit * 0.5


# --- pathological inputs -------------------------------------------------------------------------------


def test_text_without_any_whitespace(embedder, chunker, model_max):
    rng = random.Random(3)
    blob = "".join(rng.choice("abcdefghij0123456789-/_.") for _ in range(20_000))
    article = article_from_text("blob", blob, fmt="txt", title="Blob")
    chunks = chunker.chunk(article)
    check_chunks(article, chunks, embedder.count_tokens, model_max)
    assert len(chunks) > 20  # this run is thousands of word pieces: it must be cut, not truncated
    assert min(c.token_count for c in chunks) > model_max // 6  # the tail is rebalanced, not a sliver


def test_cjk_text_without_spaces(embedder, chunker, model_max):
    text = "年次休暇の申請は上司の承認が必要です。" * 800
    article = article_from_text("cjk", text, fmt="txt", title="休暇")
    check_chunks(article, chunker.chunk(article), embedder.count_tokens, model_max)


def test_one_huge_paragraph(embedder, chunker, model_max):
    article = article_from_text("para", prose(random.Random(4), 6000).replace(".", ""), fmt="txt",
                                title="One paragraph")
    chunks = chunker.chunk(article)
    check_chunks(article, chunks, embedder.count_tokens, model_max)
    # Split at word boundaries, never inside a word.
    for chunk in chunks:
        assert article.text[chunk.start - 1] == " " or chunk.start == 0
    # Tiny leftovers are merged or rebalanced: no 3-word chunks.
    assert min(c.token_count for c in chunks) > model_max // 6


def test_long_table_and_huge_table_row(embedder, chunker, model_max):
    rows = "\n".join(" | ".join(f"r{r} c{c} value" for c in range(8)) for r in range(300))
    huge_row = " | ".join(f"cell{c}" for c in range(2500))
    article = article_from_text("tables", f"# Rates\n\n{rows}\n\n## Everything in one row\n\n{huge_row}\n",
                                title="Rate tables")
    chunks = chunker.chunk(article)
    check_chunks(article, chunks, embedder.count_tokens, model_max)
    # The long table is cut between rows, not in the middle of one.
    table_chunks = [c for c in chunks if c.headings == ("Rates",)]
    assert len(table_chunks) > 5
    assert all(article.text[c.end] == "\n" for c in table_chunks[:-1])
    row_chunks = [c for c in chunks if c.headings == ("Rates", "Everything in one row")]
    assert len(row_chunks) > 5 and min(c.token_count for c in row_chunks) > model_max // 6


def test_deep_and_long_headings(embedder, chunker, model_max):
    rng = random.Random(5)
    parts = []
    for level in range(1, 7):
        heading = f"Level {level} " + "with a very long heading that keeps going " * 4
        parts.append(f"{'#' * level} {heading}\n\n{prose(rng, 250)}\n")
    article = article_from_text("deep", "\n".join(parts), title="Deep " * 30)
    chunks = chunker.chunk(article)
    check_chunks(article, chunks, embedder.count_tokens, model_max)
    assert max(len(c.headings) for c in chunks) == 6  # the full path is kept on the chunk


def test_a_non_additive_tokenizer_still_never_exceeds_the_limit():
    # Joining texts costs more than the sum of their parts here, so estimates made piece by piece are too
    # low: the chunker must measure the real contextual text and cut again.
    def superadditive(text: str) -> int:
        return len(text) + len(text) ** 2 // 400 + 2

    article = article_from_text("x", "# Head\n\n" + prose(random.Random(6), 800), title="Title")
    chunks = Chunker(superadditive, max_tokens=120, overlap_tokens=10).chunk(article)
    check_chunks(article, chunks, superadditive, 120)


def test_large_article_is_chunked_in_reasonable_time(embedder, chunker, model_max):
    import time

    rng = random.Random(8)
    sections = [f"## Section {i}\n\n" + "\n\n".join(prose(rng, rng.randint(30, 160)) for _ in range(25))
                for i in range(40)]
    article = article_from_text("big", "\n\n".join(sections), title="Big")
    assert len(article.text) > 500_000
    started = time.perf_counter()
    chunks = chunker.chunk(article)
    elapsed = time.perf_counter() - started
    assert all(c.token_count <= model_max for c in chunks)
    # A few tokenizer passes over the text (about a second here); quadratic behaviour would take minutes.
    assert elapsed < 60, f"{elapsed:.1f}s to chunk {len(article.text)} characters"


# --- structure -----------------------------------------------------------------------------------------

STRUCTURED = """# Travel policy

Intro paragraph about travel.

## Booking

### Flights

Book flights through Skyroute.

### Hotels

Hotels up to 150 per night.

```
# not a heading: inside a code fence
```

## Claims in C#

Claim within 30 days.
"""


def test_heading_paths_and_heading_only_sections(embedder, chunker, model_max):
    article = article_from_text("travel", STRUCTURED)
    chunks = chunker.chunk(article)
    check_chunks(article, chunks, embedder.count_tokens, model_max)
    assert [(c.headings, c.text.splitlines()[0]) for c in chunks] == [
        (("Travel policy",), "# Travel policy"),
        # "## Booking" has no text of its own: it joins the next section.
        (("Travel policy", "Booking", "Flights"), "## Booking"),
        (("Travel policy", "Booking", "Hotels"), "### Hotels"),
        (("Travel policy", "Claims in C#"), "## Claims in C#"),
    ]
    assert "# not a heading" in chunks[2].text


def test_markdown_sections_cover_the_text():
    sections = markdown_sections(STRUCTURED)
    assert sections[0].start == 0 and sections[-1].end == len(STRUCTURED)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:], strict=False))


def test_contextual_text_prefixes_title_and_heading_path():
    chunk = Chunk("d#0", "d", 0, "Book flights.", 0, 13, ("Travel policy", "Booking", "Flights"))
    # The heading equal to the title is not repeated.
    assert contextual_text("Travel policy", chunk) == "Travel policy\nBooking > Flights\nBook flights."
    assert contextual_text("Other", chunk) == "Other\nTravel policy > Booking > Flights\nBook flights."
    bare = Chunk("d#0", "d", 0, "Just text.", 0, 10, ())
    assert contextual_text("", bare) == "Just text."
    assert contextual_text("T", bare) == "T\nJust text."


def test_small_article_is_one_chunk_and_empty_article_none(chunker):
    article = article_from_text("small", "Badge rules\n\nWear your badge at all times.", fmt="txt")
    [chunk] = chunker.chunk(article)
    assert (chunk.start, chunk.end, chunk.headings) == (0, len(article.text.rstrip()), ())
    assert chunker.chunk(article_from_text("empty", "   ", fmt="txt")) == []


def test_make_chunker_never_exceeds_the_model_limit(embedder, settings_factory):
    assert make_chunker(settings_factory(chunk_tokens=10_000), embedder).max_tokens == embedder.max_seq_length
    assert make_chunker(settings_factory(chunk_tokens=100), embedder).max_tokens == 100
    with pytest.raises(ValueError, match="at least 16"):
        Chunker(embedder.count_tokens, max_tokens=8, overlap_tokens=0)
