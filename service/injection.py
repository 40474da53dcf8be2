"""Instructions planted in articles (indirect prompt injection), found in the whole article, not one chunk.

A sentence-by-sentence screen misses an instruction that a line wrap, a chunk boundary or a fake prompt fence
cuts in pieces. So the screen runs on the article text, tolerates any whitespace between words, widens each hit
to its whole sentence, and treats everything after fake prompt markup (`</passage>`, `<|im_start|>`) as hostile.
The resulting character ranges travel with each passage (`Passage.untrusted`): the answerer never quotes them
and the grounding check never counts them as support. It is a pattern screen (defence in depth next to the
fenced prompt and the citation checks), not a proof that an article holds no instruction.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from ragqa.sentences import split_sentences
from ragqa.service.grounding import _INJECTION
from ragqa.service.lures import TrustedHosts, lure_reason, normalise_host

if TYPE_CHECKING:
    from ragqa.index.reader import IndexVersion

Ranges = tuple[tuple[int, int], ...]
Flags = tuple[tuple[int, int, str], ...]  # (start, end, reason) of sentences that lure the reader elsewhere

# The sentence screen's phrases, with any run of whitespace (line wraps included) between words.
_PHRASE = re.compile(_INJECTION.pattern.replace(" ", r"\s+"), re.I)
# Markup that imitates the prompt's structure: passage fences and chat-template role markers.
_MARKUP = re.compile(
    r"<\s*/?\s*passage\b|<\|\s*[a-z_]{2,24}\s*\|>|\[/?INST\]|<</?SYS>>|<\s*/?\s*(?:system|instructions?)\s*>",
    re.I,
)
# A sentence ends at terminal punctuation, a blank line, or a line break before a heading, list item or table row.
_SENTENCE_END = re.compile(
    r"[.!?…][\"'”’)\]\u202a-\u202e\u2066-\u2069]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|\|))"
)
_HEADING_LINE = re.compile(r"[ \t]*#{1,6}\s")
_WINDOW = 2000  # how far a sentence may reach around a hit (bounds the work on pathological text)


def _sentence_start(text: str, pos: int) -> int:
    line = text.rfind("\n", 0, pos) + 1
    if _HEADING_LINE.match(text, line):
        return line  # a heading is a sentence of its own
    start = 0 if pos <= _WINDOW else pos - _WINDOW
    for match in _SENTENCE_END.finditer(text, start, pos):
        start = match.end()
    return start


def _sentence_end(text: str, pos: int) -> int:
    line = text.rfind("\n", 0, pos) + 1
    if _HEADING_LINE.match(text, line):
        newline = text.find("\n", pos)
        return len(text) if newline < 0 else newline
    match = _SENTENCE_END.search(text, pos, min(len(text), pos + _WINDOW))
    return match.end() if match else min(len(text), pos + _WINDOW)


def untrusted_ranges(text: str) -> Ranges:
    """Character ranges of `text` that address a model rather than a reader, merged and sorted."""
    found = [(_sentence_start(text, m.start()), _sentence_end(text, m.end())) for m in _PHRASE.finditer(text)]
    markup = _MARKUP.search(text)
    if markup:  # after fake prompt structure, nothing can be told apart from the attacker's "passages"
        found.append((_sentence_start(text, markup.start()), len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def lure_flags(text: str, trusted: TrustedHosts) -> Flags:
    """Sentences of `text` that direct the reader to sign in, give credentials or pay outside the trusted hosts."""
    return tuple((s.start, s.end, reason) for s in split_sentences(text) if (reason := lure_reason(s.text, trusted)))


def article_site(urls: list[str | None], min_articles: int = 3) -> str | None:
    """The domain that publishes more than half of the articles that have a URL (at least `min_articles`)."""
    domains = [_domain(normalise_host(u)) for u in urls if u]
    domains = [d for d in domains if d]
    if len(domains) < min_articles:
        return None
    top = max(set(domains), key=domains.count)
    return top if domains.count(top) * 2 > len(domains) else None


def _domain(host: str) -> str:
    """'intranet.example.co.uk' -> 'example.co.uk', 'intranet.example.com' -> 'example.com' (no IP addresses)."""
    labels = host.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return ""
    second_level = len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net", "ac",
                                                                                "gov", "edu", "ltd", "plc"}
    return ".".join(labels[-3:] if second_level else labels[-2:])


def clip_flags(flags: Flags, start: int, end: int) -> Flags:
    return tuple((max(s, start) - start, min(e, end) - start, r) for s, e, r in flags if s < end and start < e)


def clip(ranges: Ranges, start: int, end: int) -> Ranges:
    """The part of article-level `ranges` inside a chunk [start, end), in the chunk's own offsets."""
    return tuple((max(s, start) - start, min(e, end) - start) for s, e in ranges if s < end and start < e)


def overlaps(ranges: Ranges, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


def neutralise_markup(text: str) -> str:
    """Prompt-structure look-alikes made inert ('</passage>' -> '‹/passage>') before text goes into a prompt."""
    return _MARKUP.sub(lambda m: "‹" + m.group(0)[1:], text)


class ArticleScreen:
    """Untrusted ranges per (index version, article), computed once: an article never changes within a version."""

    def __init__(self, max_articles: int = 4096, *, trusted_hosts: tuple[str, ...] | list[str] = (),
                 trust_article_site: bool = True):
        self._ranges: OrderedDict[tuple[str, str], Ranges] = OrderedDict()
        self._flags: OrderedDict[tuple[str, str], Flags] = OrderedDict()
        self._sites: dict[str, TrustedHosts] = {}
        self._hosts = tuple(trusted_hosts)
        self._trust_site = trust_article_site
        self._max = max_articles
        self._lock = threading.Lock()

    def trusted(self, version: IndexVersion) -> TrustedHosts:
        """The configured hosts, plus the site that publishes most of this index version's articles."""
        with self._lock:
            found = self._sites.get(version.version_id)
        if found is None:
            hosts = list(self._hosts)
            if self._trust_site:
                site = article_site([r.article.url for r in version.article_records(with_text=False)])
                hosts += [site] if site else []
            found = TrustedHosts.of(hosts)
            with self._lock:
                if len(self._sites) > 16:
                    self._sites.clear()
                self._sites[version.version_id] = found
        return found

    def passage_flags(self, version: IndexVersion, hit) -> Flags:
        """Lure sentences of `hit`'s article inside its chunk, in the chunk's offsets (service/lures.py)."""
        trusted = self.trusted(version)
        flags = self._per_article(self._flags, version, hit, lambda text: lure_flags(text, trusted))
        if flags is None:  # the article is not in this version: screen the chunk alone
            return lure_flags(hit.chunk.text, trusted)
        return clip_flags(flags, hit.chunk.start, hit.chunk.end)

    def passage_ranges(self, version: IndexVersion, hit) -> Ranges:
        """The ranges of `hit`'s article that fall inside its chunk, in the chunk's offsets."""
        ranges = self._per_article(self._ranges, version, hit, untrusted_ranges)
        if ranges is None:  # the article is not in this version: screen the chunk alone
            return untrusted_ranges(hit.chunk.text)
        return clip(ranges, hit.chunk.start, hit.chunk.end)

    def _per_article(self, cache: OrderedDict, version: IndexVersion, hit, compute):
        """`compute(article text)` once per (version, article), in article offsets; None without the article."""
        key = (version.version_id, hit.chunk.doc_id)
        with self._lock:
            found = cache.get(key)
        if found is None:
            article = version.article(hit.chunk.doc_id)
            if article is None:
                return None
            found = compute(article.text)
            with self._lock:
                cache[key] = found
                while len(cache) > self._max:
                    cache.popitem(last=False)
        return found
