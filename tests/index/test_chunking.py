"""Chunking with the real tokenizer: every chunk fits the model, offsets are exact, nothing is left out."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ragqa.index.chunking import Chunker, contextual_text, make_chunker, markdown_sections
from ragqa.index.loaders import article_from_text, load_paths
from ragqa.types import Article, Chunk

SEED_ARTICLES = Path(__file__).resolve().parents[2].parent / "shared" / "seed-articles"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
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


# --- the word-piece counter (fast path) -----------------------------------------------------------------

TRICKY = ["", " ", "\n\n", "Hello, world!", "naïve café Ünïcödé ﬁne", "日本語のテキスト mixed 中文 text",
          "a\x0bb c\x1cd e\u200bf g\u00a0h", "[SEP] x[CLS]y [UNK] [MASK]", "x" * 300, "e\u0301 \u0301a",
          "tab\tand\r\nnew\rlines  ", "$3.50/kg (±0.2%) -- x_y=z https://example.org/a?b=c#d", "🙂 emoji 🙃🙂",
          "\U000e0041 tag \ue000 private", "ΣΊΣΥΦΟΣ ΌΔΟΣ", "İstanbul ǅemal ß"]


def test_word_piece_counter_counts_exactly_like_the_tokenizer(embedder):
    from ragqa.index.chunking import WordPieceCounter

    counter = WordPieceCounter.for_embedder(embedder)
    assert counter is not None, "the packaged MiniLM tokenizer (BERT WordPiece) qualifies for the fast path"
    rng = random.Random(11)
    source = "\n\n".join(TRICKY) + "\n" + "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))[:8])
    samples = list(TRICKY)
    for _ in range(400):  # arbitrary substrings: cut mid-word, mid-line, anywhere
        a = rng.randrange(len(source))
        samples.append(source[a:a + rng.randint(0, 1500)])
    for text in samples:
        assert counter(text) == embedder.count_tokens(text), repr(text[:80])
    assert counter.exact_counts(samples[:50]) == [embedder.count_tokens(t) for t in samples[:50]]


def test_fast_and_exact_chunking_give_the_same_chunks(embedder, settings_factory):
    from ragqa.index.chunking import WordPieceCounter

    rng = random.Random(12)
    articles = load_paths([CORPUS]).articles
    articles += [article_from_text("structured", STRUCTURED),
                 article_from_text("long", "# Long\n\n" + prose(rng, 3000), title="Long"),
                 article_from_text("nospace", "x" * 5000 + " tail", title="No spaces"),
                 article_from_text("tricky", "\n\n".join(TRICKY * 20), title="Tricky ΣΊΣΥΦΟΣ")]
    for max_tokens, overlap in ((256, 32), (48, 8)):
        exact = Chunker(embedder.count_tokens, max_tokens=max_tokens, overlap_tokens=overlap)
        fast = Chunker(embedder.count_tokens, max_tokens=max_tokens, overlap_tokens=overlap,
                       word_counter=WordPieceCounter.for_embedder(embedder))
        for article in articles:
            assert fast.chunk(article) == exact.chunk(article), article.doc_id
        assert not fast.word_counter.disabled
    assert make_chunker(settings_factory(), embedder).word_counter is not None


def test_tokenizers_whose_pieces_span_spaces_get_no_word_counter():
    from tokenizers import Tokenizer, models, pre_tokenizers

    from ragqa.index.chunking import WordPieceCounter, _is_word_additive

    for pre in (pre_tokenizers.ByteLevel(), pre_tokenizers.Metaspace()):
        tokenizer = Tokenizer(models.WordLevel({"[UNK]": 0, "a": 1}, unk_token="[UNK]"))
        tokenizer.pre_tokenizer = pre
        assert not _is_word_additive(tokenizer)

        class Fake:
            def __init__(self, tok):
                self.tokenizer = tok

            def count_tokens(self, text):
                return len(self.tokenizer.encode(text).ids)

        assert WordPieceCounter.for_embedder(Fake(tokenizer)) is None
    assert WordPieceCounter.for_embedder(object()) is None  # no tokenizer at all: the exact path


def test_a_word_counter_that_undercounts_is_caught_and_the_limit_still_holds(embedder, model_max, caplog):
    from ragqa.index.chunking import WordPieceCounter

    class Lying(WordPieceCounter):
        def __call__(self, text):  # pretends long texts are shorter than they are
            n = super().__call__(text)
            return n - n // 5

    real = WordPieceCounter.for_embedder(embedder)
    lying = Lying(real._tokenizer)
    chunker = Chunker(embedder.count_tokens, max_tokens=model_max, overlap_tokens=16, word_counter=lying)
    article = article_from_text("lie", "# Lie\n\n" + prose(random.Random(13), 2000), title="Lie")
    chunks = chunker.chunk(article)
    check_chunks(article, chunks, embedder.count_tokens, model_max)
    assert lying.disabled and "differ" in caplog.text
    assert chunker.chunk(article) == chunks  # later articles take the exact path
