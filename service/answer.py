"""The answering pipeline: condense -> retrieve -> can the passages answer? -> generate -> check -> answer object."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from ragqa.dates import stated_date
from ragqa.index.lifecycle import SUPERSEDED_BANNER, status_on
from ragqa.places import place_of
from ragqa.policy_words import policy_words, wordings_and_words
from ragqa.sentences import STOPWORDS, content_terms, table_header_before
from ragqa.service.categories import category_listed, directs_on
from ragqa.service.compounds import unknown_thing
from ragqa.service.condense import (
    condense,
    follow_up_words,
    says_new_subject,
    standalone_parts,
    thing_asked_instead,
)
from ragqa.service.grounding import SUPERSEDED_MARK, SentenceScorer, check_answer, missing_names, question_names
from ragqa.service.injection import ArticleScreen
from ragqa.service.llm.base import LLM, GenerationRequest, Passage
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.llm.registry import LLMCache
from ragqa.service.lures import lure_reason
from ragqa.service.models import Answer, AnswerDelta, AnswerDone, AnswerWarning, Citation, Grounding, StreamEvent, Turn
from ragqa.service.prompts import fence_passages, load_prompt, render_prompt
from ragqa.service.question_types import past_year, with_place_capitals, without_preamble, without_relay
from ragqa.service.shorthand import written_out
from ragqa.service.signposts import names_section, referred, signposted
from ragqa.service.spelling import mended_spelling
from ragqa.service.stream_refs import StreamRenumberer
from ragqa.service.table_rows import markdown_row_label, things_to_quote
from ragqa.types import Hit

EVENT_WORDS = 3  # an everyday wording this long tells what happened ('left their laptop on the train')
POLICY_WORD_HITS = 2  # keyword hits for the question read in policy words, and for those words alone
REFERRED_HITS = 2  # chunks of an article a retrieved passage refers to by link (_referred_sections) ...
REFERRED_WORDS = 2  # ... sharing at least this many of the words of what it says the article holds
TABLE_ARTICLES = 2  # the best hits' articles whose tables named by the question join (_named_tables)
TABLE_WORDS = 3  # question words a table's heading and header row must share to be named by it
HEADED_HIT_REACH = 3  # ... and of the next this many, one whose heading names a policy word and the asker's thing
RARE_WORD_CHUNKS = 3  # an acronym or product name of the question this few chunks use: each of them is read
RARE_WORDS = 3  # ... for at most this many of the question's rarest ones
# 'IPAF', 'MEWP', 'OneDrive': a word written in capitals, or with one inside, names a thing, as a code does
_NAMING_WORD = re.compile(r"\b(?:[A-Z]{2,}[A-Za-z0-9]*|[A-Za-z][a-z0-9]+[A-Z][A-Za-z0-9]*)\b")
_NO_ANSWER = re.compile(r"\b(could not|couldn't|cannot|can't|unable to|do(?:es)? not|don't) (?:find|answer|contain"
                        r"|say|mention|provide|include|cover)|\bno information\b|\bnot (?:mentioned|covered|stated)\b",
                        re.I)


class AnswerService:
    """One per process: shares the embedder, the index manager, the sentence cache and the LLM backends."""

    def __init__(self, *, settings, index, embedder):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.scorer = SentenceScorer(embedder)
        # The extractive backend doubles as the relevance gate of every backend; it shares the sentence cache.
        self.gate = ExtractiveLLM(settings, embedder, scorer=self.scorer)
        self.llms = LLMCache(settings, embedder, prebuilt={"extractive": self.gate})
        # Planted instructions, found in whole articles (service/injection.py, service/lures.py).
        self.screen = ArticleScreen(trusted_hosts=settings.trusted_link_hosts,
                                    trust_article_site=settings.trust_article_site)
        self._lifecycle_cache: dict[tuple[str, str, str], ArticleLifecycle] = {}

    def warm_up(self, llm: str | None = None) -> None:
        """Build (and load, where a backend has weights) the configured backend before the first request."""
        backend = self.llms.get(llm)
        if hasattr(backend, "warm_up"):
            backend.warm_up()

    def search(self, query: str, *, k: int, groups: frozenset[str] | None = None) -> list[Hit]:
        return self.index.retriever().search(query, k=k, groups=groups)

    def answer(self, question: str, *, history: Sequence[Turn] = (), top_k: int | None = None,
               groups: frozenset[str] | None = None, llm: str | None = None,
               request_id: str | None = None) -> Answer:
        """The whole answer object (no streaming)."""
        events = self._run(_clean(question), _history_for(question, history), top_k, groups, self.llms.get(llm),
                           request_id, deltas=False)
        for event in events:
            if isinstance(event, AnswerDone):
                return event.answer
        raise RuntimeError("the answer pipeline ended without an answer")  # pragma: no cover

    def stream(self, question: str, *, history: Sequence[Turn] = (), top_k: int | None = None,
               groups: frozenset[str] | None = None, llm: str | None = None,
               request_id: str | None = None) -> Iterator[StreamEvent]:
        """Yields AnswerDelta while generating, then one AnswerDone. Closing it stops generation."""
        # Bad input and unknown backends fail here, before the caller starts a streamed response.
        return self._run(_clean(question), _history_for(question, history), top_k, groups, self.llms.get(llm),
                         request_id, deltas=True)

    # --- the pipeline -------------------------------------------------------------------------------
    def _run(self, question: str, history: Sequence[Turn], top_k: int | None, groups: frozenset[str] | None,
             backend: LLM, request_id: str | None, *, deltas: bool) -> Iterator[StreamEvent]:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        request_id = request_id or uuid.uuid4().hex
        k = top_k or self.settings.top_k

        t = time.perf_counter()
        retriever = self.index.retriever()  # one index version for the whole request
        counts = partial(retriever.word_counts, groups=groups)
        # 'n for leeds ppl?': chat shorthand written out, in the history too, before follow-ups are read
        # (service/shorthand.py); the history's places capitalised, as the question's are ('... do porto staff get')
        typed, question = question, written_out(question, counts)
        # (the history's questions read as the question is: 'Good morning, I was wondering what ...' is 'What ...')
        history = [Turn(role=t.role, content=_read_as_asked(written_out(t.content, counts)))
                   if t.role == "user" and t.content.strip() else t for t in history]
        standalone, method = condense(question, history)
        # (a follow-up's own words: not those of a question only written out, 'can i ... while im travelling?')
        focus = follow_up_words(question) if method != "unchanged" else frozenset()
        if method == "unchanged" and question != typed:
            method = "rule"
        # 'min pasword length?': a slip mended from the words of the articles the asker may read (service/spelling.py)
        mended = mended_spelling(standalone, counts)
        if mended != standalone:
            standalone, method = mended, "rule" if method == "unchanged" else method
        hits = self._retrieve(retriever, standalone, k, groups)
        passages = self._passages(retriever, hits)
        timings["retrieve"] = _ms(t)

        # Abstain before any LLM call when no passage sentence is relevant enough: no cost, nothing invented.
        chosen = self.gate.select(standalone, passages, focus) if passages else []
        relevant = bool(chosen)
        if relevant and method != "unchanged" and (self._instead_unknown(question, passages)
                                                   or _group_unsaid(question, history, chosen, passages)):
            # 'what about on a motorbike?' after the car's mileage: no article speaks of motorbikes; 'Do first aiders
            # get that too?' after what fire wardens get: what would be quoted is said of the wardens alone
            relevant = False
        if relevant and backend is not self.gate and standalone != question:
            t = time.perf_counter()
            rewritten = self._condense_with_llm(question, history, backend)
            if rewritten and rewritten != standalone:
                standalone, method = rewritten, "llm"
                hits = self._retrieve(retriever, standalone, k, groups)
                passages = self._passages(retriever, hits)
                relevant = bool(passages) and bool(self.gate.select(standalone, passages, focus))
            timings["condense"] = _ms(t)
        if not relevant:
            timings["generate"] = 0.0
            timings["total"] = _ms(started)
            warnings = self._article_warnings(standalone, passages, []) if passages else []
            yield AnswerDone(self._abstained(request_id, backend.name, retriever.version_id, timings,
                                             warnings).model_copy(
                update={"standalone_question": standalone, "standalone_method": method}))
            return

        t = time.perf_counter()
        request = GenerationRequest(question=standalone, passages=passages,
                                    messages=self.answer_messages(standalone, passages), focus=focus)
        if deltas:
            parts: list[str] = []
            stream = backend.stream(request)
            numbering = StreamRenumberer(p.ref for p in passages)  # the final answer's numbers, as it streams
            try:
                for delta in stream:
                    parts.append(delta)
                    shown = numbering.feed(delta)
                    if shown:
                        yield AnswerDelta(shown)
                tail = numbering.flush()
                if tail:
                    yield AnswerDelta(tail)
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()  # the client went away or we are done: stop the backend generating
            text = "".join(parts)
        else:
            text = backend.generate(request)
        timings["generate"] = _ms(t)
        answer = self._finish(text, passages, hits, request_id, backend.name, retriever.version_id,
                              timings, started, question=standalone, retriever=retriever)
        yield AnswerDone(answer.model_copy(update={"standalone_question": standalone, "standalone_method": method}))

    def _retrieve(self, retriever, question: str, k: int, groups: frozenset[str] | None) -> list[Hit]:
        """The question's passages; a compound question's also those of each part, so every part can be answered.
        Ranked as the answerer's relevance gate was calibrated (settings.answer_fusion, answer_rerank), then the
        best dense hits the fusion left out (settings.answer_dense_extra), and the few chunks naming an acronym or
        product name of the question (_rare_word_hits)."""
        ranking = {"fusion": self.settings.answer_fusion, "rerank": self.settings.answer_rerank}
        hits = retriever.search(question, k=k, groups=groups, **ranking)
        extra = self.settings.answer_dense_extra
        if extra and self.settings.retrieval_mode == "hybrid":
            seen = {h.chunk_id for h in hits}
            dense = retriever.search(question, k=extra, groups=groups, mode="dense")
            hits += [h for h in dense if h.chunk_id not in seen]
        # 'I left my laptop on the train': the article says 'lost'; the best keyword hits for the question in
        # policy words join (ragqa/policy_words.py), where BM25 ranks chunks sharing its everyday words first.
        meant = policy_words(question)
        if meant and self.settings.retrieval_mode == "hybrid":
            seen = {h.chunk_id for h in hits}
            worded = retriever.search(f"{question} {' '.join(meant)}", k=POLICY_WORD_HITS, groups=groups,
                                      mode="keyword")
            hits += [h for h in worded if h.chunk_id not in seen]
            # ... and the best ones for the policy words alone, which a long question's own words can drown ('Woke
            # up with a temperature and won't make it in today ... what do I need to do?': 'On the first day')
            # (only the words the question does not say itself: 'carry over' is no everyday wording of its own)
            said = content_terms(question)
            unsaid = [w for w in meant if not content_terms(w) <= said]
            if unsaid:
                # ... with the wording they stand for, which names the thing ('Left my work laptop on the train':
                # lost, of a laptop, not of a receipt)
                pairs = wordings_and_words(question)
                wordings = " ".join(wording for wording, _ in pairs)
                hits += _new_keyword_hits(retriever, f"{wordings} {' '.join(unsaid)}", hits, groups,
                                          headed=(content_terms(" ".join(unsaid)), said))
                # ... and, where the question has several, each event told in a few words (EVENT_WORDS) with its own
                # words alone, for the one section headed for it ('My new hire ... left their work laptop on the
                # train': onboarding for the one, 'Lost or stolen laptops and phones' for the other; not 'company
                # card')
                own = [(wording, kept) for wording, words in pairs if (kept := [w for w in words if w in unsaid])]
                for wording, words in own if len(own) > 1 else []:
                    if len(wording.split()) >= EVENT_WORDS:
                        hits += _new_keyword_hits(retriever, f"{wording} {' '.join(words)}", hits, groups,
                                                  headed=(content_terms(" ".join(words)), said), only_headed=True)
        # 'a day trip to New York': a rates table lists 'USA and Canada'; for a place no passage found names, the
        # best keyword hits for the question with the place's country names join, as for policy words
        places = [(name, place) for name in question_names(question) if (place := place_of(name))]
        found_text = "\n".join(h.chunk.text for h in hits) if places else ""
        countries = [n for name, place in places if missing_names([name], found_text)
                     for n in place.names if n not in question.lower()]
        if countries and self.settings.retrieval_mode == "hybrid":
            hits += _new_keyword_hits(retriever, f"{question} {' '.join(dict.fromkeys(countries))}", hits, groups)
        if self.settings.retrieval_mode == "hybrid":
            hits += _rare_word_hits(retriever, question, hits, groups)
        parts = standalone_parts(question)
        if len(parts) > 1:
            seen = {h.chunk_id for h in hits}
            for part in parts:
                for hit in retriever.search(part, k=max(3, k // len(parts)), groups=groups, **ranking):
                    if hit.chunk_id not in seen:
                        seen.add(hit.chunk_id)
                        hits.append(hit)
        hits = hits + self._named_tables(retriever, question, hits, groups)
        hits = hits + self._rows_of_things_quoted(retriever, hits, groups)
        hits = hits + self._replacements(retriever, hits, groups)
        hits = hits + self._predecessors(retriever, question, hits, groups)
        hits = hits + self._signposted_sections(retriever, hits, groups)
        hits = hits + self._referred_sections(retriever, question, hits, groups)
        hits = hits + self._whole_sections(retriever, hits, groups)
        return hits + self._category_directives(retriever, hits, groups)

    @staticmethod
    def _named_tables(retriever, question: str, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """The tables of the best hits' articles whose heading and header row share TABLE_WORDS of the question's
        words ('How much per diem can they claim per night ...?': 'Per diem rates | Overnight rate (per night)'): a
        table embeds poorly, and its rows answer the questions a qualifier decides. (The question is read with its
        policy words: 'a daily allowance for meals ... each night' asks the per diem.)"""
        asked = content_terms(" ".join((question, *policy_words(question))))

        def named(chunk) -> bool:
            header = next((line for line in chunk.text.splitlines() if line.lstrip().startswith("|")), "")
            said = content_terms(" ".join((chunk.headings[-1] if chunk.headings else "", header)))
            return bool(header) and len(said & asked) >= TABLE_WORDS

        articles = list(dict.fromkeys(h.doc_id for h in hits))[:TABLE_ARTICLES]
        return _article_chunks(retriever, hits, groups, [(doc_id, named) for doc_id in articles])

    @staticmethod
    def _rows_of_things_quoted(retriever, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """The chunks of the hits' articles holding the table row a hit tells one to quote without giving it
        ('... call the assistance line and quote the policy number': the row 'Policy number | FH-TRV-...'), so the
        value can be answered beside the step that asks for it."""
        def row_labelled(thing):
            return lambda chunk: any(markdown_row_label(line) == thing for line in chunk.text.splitlines())

        wanted = dict.fromkeys((h.doc_id, thing) for h in hits for thing in things_to_quote(h.chunk.text))
        return _article_chunks(retriever, hits, groups, [(doc_id, row_labelled(thing)) for doc_id, thing in wanted])

    @staticmethod
    def _whole_sections(retriever, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """The rest of a section of which a retrieved chunk holds only part: a section cut in two by chunking
        ('On the first day': its steps in one chunk, the sentence after them in the next) is read whole."""
        def same_section(headings):
            return lambda chunk: chunk.headings == headings

        wanted = dict.fromkeys((h.doc_id, h.chunk.headings) for h in hits if h.chunk.headings)
        return _article_chunks(retriever, hits, groups, [(doc_id, same_section(hs)) for doc_id, hs in wanted])

    @staticmethod
    def _signposted_sections(retriever, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """The sections retrieved passages point to by name ('... under the lone-working procedure below'), when
        not retrieved themselves (service/signposts.py)."""
        def named(terms):
            return lambda chunk: bool(chunk.headings) and names_section(terms, chunk.headings[-1])

        wanted = dict.fromkeys((h.doc_id, terms) for h in hits for terms in signposted(h.chunk.text))
        return _article_chunks(retriever, hits, groups, [(doc_id, named(terms)) for doc_id, terms in wanted])

    @staticmethod
    def _referred_sections(retriever, question: str, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """For a retrieved passage that says another article holds what it names ('The rules on how many days you may
        carry into the next year ... are set out in the [Leave carry-over policy](…)'), that article's REFERRED_HITS
        chunks sharing most of those words, when not retrieved and when the question asks about them (REFERRED_WORDS
        of its words, or of the policy words they stand for): the referral answers nothing itself."""
        referrals = list(dict.fromkeys(r for h in hits for r in referred(h.chunk.text)))
        if not referrals:
            return []  # (most questions: no policy-word reading needed)
        asked = content_terms(" ".join((question, *policy_words(question))))
        seen = {h.chunk_id for h in hits}
        added: list[Hit] = []
        for url, path, terms in (r for r in referrals if len(r[2] & asked) >= REFERRED_WORDS):
            doc_id = retriever.version.doc_id_named(url) or path  # (the article by its address, or by its path)
            chunks = [h for h in retriever.article_hits(doc_id, groups, lambda c: True) if h.chunk_id not in seen]
            shared = [(len(terms & content_terms(h.chunk.text)), i) for i, h in enumerate(chunks)]
            for count, i in sorted(shared, key=lambda pair: (-pair[0], pair[1]))[:REFERRED_HITS]:
                if count >= REFERRED_WORDS:
                    seen.add(chunks[i].chunk_id)
                    added.append(chunks[i])
        return added

    @staticmethod
    def _category_directives(retriever, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """A passage listing the cases of a category ('What counts as an incident') brings the article's passage
        that says what to do about it ('Report an incident within 1 hour'), when no retrieved one does: the asker's
        case is an item of the list, and the instruction shares no word with their question."""
        listed = dict.fromkeys((h.doc_id, thing) for h in hits if h.chunk.headings
                               and (thing := category_listed(h.chunk.headings[-1])))
        seen = {h.chunk_id for h in hits}
        added: list[Hit] = []
        for doc_id, thing in listed:  # each article read once per category it lists, in the hits' order
            if any(h.doc_id == doc_id and directs_on(thing, h.chunk.text) for h in hits):
                continue
            for found in retriever.article_hits(doc_id, groups, lambda c, t=thing: directs_on(t, c.text)):
                if found.chunk_id not in seen:
                    seen.add(found.chunk_id)
                    added.append(found)
        return added

    def _replacements(self, retriever, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """For passages of a replaced article, the same sections of the article that replaced it: 'How much per
        diem do I get in Spain?' may retrieve the 2024 rates table alone, and the current one must be there to
        answer first (the answerer prefers current passages when they answer)."""
        named: dict[str, list[Hit]] = {}  # by the replacement's name, as `superseded_by` gives it
        for hit in hits:
            life = self.lifecycle(retriever, hit)
            if life.status == "superseded" and life.superseded_by and hit.row is not None:
                named.setdefault(life.superseded_by, []).append(hit)
        seen = {h.chunk_id for h in hits}
        added = []
        for name, old in named.items():
            successor = retriever.version.doc_id_named(name)
            if not successor:
                continue
            for hit in retriever.counterparts([h for h in old if h.doc_id != successor], successor, groups):
                if hit.chunk_id not in seen:
                    seen.add(hit.chunk_id)
                    added.append(hit)
        return added

    def _instead_unknown(self, question: str, passages: list[Passage]) -> bool:
        """Is the other thing a follow-up asks the same question of ('what about on a motorbike?') one that no
        passage speaks of, by its word or one close in meaning?"""
        thing = thing_asked_instead(question)
        if not thing:
            return False
        text = "\n".join(p.text for p in passages)
        terms = content_terms(text)
        # (a word joined with hyphens is known by its parts: 'part-timers' by the texts' 'part-time staff')
        return all(unknown_thing(question, word, text, terms, self.scorer.embed)
                   for word in [thing, *(thing.split("-") if "-" in thing else [])])

    def _predecessors(self, retriever, question: str, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
        """For a question about a day before a current article took effect ('a UK trip back in November 2025'), the
        same sections of the articles it replaced: the rates of that time may never rank among the hits, whose
        current table reads the same; a past year counts from its first day ('a UK trip that took place in 2025')."""
        year = past_year(question)  # ('a business trip within the UK that took place in 2025': from its first day)
        when = stated_date(question) or (date(year, 1, 1) if year else None)
        if when is None:
            return []
        replaced: dict[str, list[Hit]] = {}
        for hit in hits:
            life = self.lifecycle(retriever, hit)
            if hit.row is not None and life.status != "superseded" and life.since > when.isoformat():
                replaced.setdefault(hit.doc_id, []).append(hit)
        seen = {h.chunk_id for h in hits}
        added = []
        for doc_id, current in replaced.items():
            for old in retriever.version.replaced_by(doc_id):
                for hit in retriever.counterparts(current, old, groups):
                    if hit.chunk_id not in seen:
                        seen.add(hit.chunk_id)
                        added.append(hit)
        return added

    def _passages(self, retriever, hits: list[Hit]) -> list[Passage]:
        version = retriever.version
        article_texts: dict[str, str] = {}  # read once per request, for passages that open inside a table
        passages = []
        for i, h in enumerate(hits, 1):
            flags = self.screen.passage_flags(version, h)  # lures are untrusted too: never quoted, never support
            untrusted = self.screen.passage_ranges(version, h) + tuple((s, e) for s, e, _ in flags)
            life = self.lifecycle(retriever, h)
            passages.append(to_passage(i, h, untrusted=untrusted, flagged=flags,
                                       superseded=life.status == "superseded", lifecycle=life.label,
                                       sentence_vectors=version.sentence_vectors(h.row) if h.row is not None else None,
                                       table_header=_table_header(version, h, article_texts),
                                       since=life.since))
        return passages

    def _article_warnings(self, question: str, passages: list[Passage], cited_refs: list[int]) -> list[AnswerWarning]:
        """Lures in the passages the answer cites, or lures that would have answered the question themselves."""
        relevant: set[tuple[int, int, int]] = set()
        uncited = [p for p in passages if p.flagged and p.ref not in cited_refs]
        if uncited:
            # Score the lure sentences as if they were allowed, to know whether they are what the question is about.
            probe = [replace(p, untrusted=tuple(r for r in p.untrusted if r not in {(s, e) for s, e, _ in p.flagged}))
                     for p in uncited]
            for cand in self.scorer.candidates(question, probe):
                if cand.score < self.settings.abstain_threshold:
                    break
                if cand.gate_score < self.settings.abstain_threshold:
                    continue  # above it only by the ordering bonus
                relevant.update((cand.ref, s, e) for s, e, _ in next(p for p in probe if p.ref == cand.ref).flagged
                                if s < cand.span.end and cand.span.start < e)
        warnings: dict[tuple[str, str], AnswerWarning] = {}
        for p in passages:
            for s, e, reason in p.flagged:
                if p.ref in cited_refs or (p.ref, s, e) in relevant:
                    text = " ".join(p.text[s:e].split())
                    warnings.setdefault((p.doc_id, text), AnswerWarning(source="article", reason=reason, text=text,
                                                                        doc_id=p.doc_id, title=p.title))
        return list(warnings.values())

    def lifecycle(self, retriever, hit: Hit) -> ArticleLifecycle:
        """The hit's article lifecycle as stored at ingest (index/lifecycle.py), with today's dates applied."""
        today = date.today()
        key = (retriever.version_id, hit.doc_id, today.isoformat())
        if key not in self._lifecycle_cache:
            article = retriever.version.article(hit.doc_id)
            if article is None:
                life = ArticleLifecycle("current", None, hit.updated)
            else:
                status = status_on(article.status, article.effective, article.valid_until, today)
                life = ArticleLifecycle(status, article.superseded_by, article.updated or hit.updated,
                                        article.effective)
            if len(self._lifecycle_cache) > 20_000:
                self._lifecycle_cache.clear()
            self._lifecycle_cache[key] = life
        return self._lifecycle_cache[key]

    def _condense_with_llm(self, question: str, history: Sequence[Turn], backend: LLM) -> str | None:
        prompt = render_prompt(self.settings.resolved_prompts_dir, "condense_question", question=question,
                               history="\n".join(f"{t.role}: {t.content}" for t in history[-6:]))
        rewritten = backend.generate(GenerationRequest(question=question, passages=[],
                                                       messages=[{"role": "user", "content": prompt}]))
        rewritten = " ".join(rewritten.split()).strip('"')
        # A rewrite far longer than the question is an answer, not a question: keep the heuristic one.
        return rewritten if 0 < len(rewritten) <= 3 * len(question) + 300 else None

    def answer_messages(self, question: str, passages: list[Passage]) -> list[dict[str, str]]:
        prompt = render_prompt(
            self.settings.resolved_prompts_dir, "answer", passages=fence_passages(passages), question=question,
            abstain=self.abstain_text, max_sentences=self.settings.max_answer_sentences,
        )
        return [{"role": "user", "content": prompt}]

    @property
    def abstain_text(self) -> str:
        return load_prompt(self.settings.resolved_prompts_dir, "abstain").strip()

    def _abstained(self, request_id: str, llm_name: str, version: str, timings: dict,
                   warnings: list[AnswerWarning] = ()) -> Answer:
        return Answer(answer=with_caution(self.abstain_text, warnings), abstained=True, grounded=True, citations=[],
                      grounding=Grounding(score=1.0, sentences=[]), timings_ms=timings, request_id=request_id,
                      llm=llm_name, index_version=version, warnings=list(warnings))

    def _finish(self, text: str, passages: list[Passage], hits: list[Hit], request_id: str, llm_name: str,
                version: str, timings: dict, started: float, *, question: str, retriever) -> Answer:
        t = time.perf_counter()
        trusted = self.screen.trusted(retriever.version)
        checked = check_answer(text, passages, self.scorer, screen=lambda sentence: lure_reason(sentence, trusted))
        warnings = [AnswerWarning(source="model", reason=s.warning or "", text=s.text)
                    for s in checked.sentences if s.flagged]
        warnings += self._article_warnings(question, passages, checked.cited_refs)
        if not checked.text or (not checked.cited_refs and says_no_answer(checked.text, self.abstain_text)):
            timings["total"] = _ms(started)
            answer = self._abstained(request_id, llm_name, version, timings, warnings)
            if any(s.flagged for s in checked.sentences):  # the model's whole answer was a withheld instruction
                answer.grounded, answer.grounding = False, Grounding(score=0.0, sentences=checked.sentences)
            return answer
        citations = [to_citation(new, hits[old - 1], self.lifecycle(retriever, hits[old - 1]))
                     for new, old in enumerate(checked.cited_refs, start=1)]
        timings["check"] = _ms(t)
        timings["total"] = _ms(started)
        return Answer(
            answer=with_caution(checked.text, warnings), abstained=False, grounded=checked.grounded,
            citations=citations, grounding=Grounding(score=round(checked.score, 3), sentences=checked.sentences),
            timings_ms=timings, request_id=request_id, llm=llm_name, index_version=version, warnings=warnings,
        )


def _new_keyword_hits(retriever, query: str, hits: list[Hit], groups: frozenset[str] | None,
                      headed: tuple[set[str], set[str]] | None = None, only_headed: bool = False) -> list[Hit]:
    """The best POLICY_WORD_HITS keyword hits for `query` that are not among `hits` already; with `headed` (policy
    terms, the question's terms), also the first further one of the next HEADED_HIT_REACH whose section heading
    names both: 'Lost or stolen laptops and phones' for 'left my work laptop on the train', though shorter chunks
    saying 'lost' more often ('Lost receipts') rank above it. `only_headed`: that one alone, from all of them."""
    seen = {h.chunk_id for h in hits}
    found = retriever.search(query, k=POLICY_WORD_HITS + len(seen) + (HEADED_HIT_REACH if headed else 0),
                             groups=groups, mode="keyword")
    new = [h for h in found if h.chunk_id not in seen]
    chosen = new[:POLICY_WORD_HITS]
    if headed:
        policy, asked = headed

        def names_both(hit: Hit) -> bool:
            heading = content_terms(hit.chunk.headings[-1]) if hit.chunk.headings else set()
            return bool(heading & policy) and bool(heading & (asked - policy))

        if only_headed:
            return [h for h in new[:POLICY_WORD_HITS + HEADED_HIT_REACH] if names_both(h)][:1]
        if not any(names_both(h) for h in chosen):
            chosen += [h for h in new[POLICY_WORD_HITS:POLICY_WORD_HITS + HEADED_HIT_REACH] if names_both(h)][:1]
    return chosen


def _rare_word_hits(retriever, question: str, hits: list[Hit], groups: frozenset[str] | None) -> list[Hit]:
    """The chunks that use an acronym or product name of the question few chunks use (RARE_WORD_CHUNKS), not among
    `hits` already: 'How often is my IPAF ticket renewed?' is answered by the training table, the one chunk beside the
    retrieved 'Work at height' to name IPAF, though the fused ranking reads the question's everyday words as closer to
    other tables. (Not any rare word: 'paternity', named once in passing, would bring a passage that never answers.)"""
    words = list(dict.fromkeys(w.lower() for w in _NAMING_WORD.findall(question) if w.lower() not in STOPWORDS))
    counts = retriever.word_counts(words, groups) if words else {}
    rare = sorted((n, w) for w, n in counts.items() if 0 < n <= RARE_WORD_CHUNKS)[:RARE_WORDS]
    seen = {h.chunk_id for h in hits}
    added: list[Hit] = []
    for n, word in rare:
        for hit in retriever.search(word, k=n, groups=groups, mode="keyword"):
            if hit.chunk_id not in seen:
                seen.add(hit.chunk_id)
                added.append(hit)
    return added


def _article_chunks(retriever, hits: list[Hit], groups: frozenset[str] | None,
                    wanted: list[tuple[str, Callable]]) -> list[Hit]:
    """For each (article, test) wanted, the article's chunks that `groups` may read and the test keeps, that are
    not among `hits` already, in order and once each."""
    seen = {h.chunk_id for h in hits}
    added: list[Hit] = []
    for doc_id, keep in wanted:
        for found in retriever.article_hits(doc_id, groups, keep):
            if found.chunk_id not in seen:
                seen.add(found.chunk_id)
                added.append(found)
    return added


_EMOTICON = re.compile(r"\s*(?<![\w:])(?:[:;=]-?[)(DPp3/\\|]+(?![\w])|\^_?\^|<3"
                       r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]+)[\s.!]*")


# Groups of people a follow-up may bring in ('Do first aiders get that too?', 'is it the same for contractors?')
_GROUP_OF_PEOPLE = re.compile(r"\b(?:first[- ]aiders?|fire wardens?|wardens?|contractors?|interns?|part[- ]timers?"
                              r"|temps|apprentices?|freelancers?|consultants?|trainees?|students?|volunteers?"
                              r"|agency (?:staff|workers?))\b", re.I)


def _group_unsaid(question: str, history: Sequence[Turn], chosen: list, passages: list[Passage]) -> bool:
    """Does a follow-up bring in a group of people that the conversation had not named ('Do first aiders get that
    too?' after what fire wardens get) while no sentence the answer would quote names them, nor its section's
    heading? Then the articles do not say it of them."""
    said_before = " ".join(t.content for t in history if t.role == "user")
    brought = [m.group(0) for m in _GROUP_OF_PEOPLE.finditer(question)
               if not re.search(rf"\b{re.escape(m.group(0))}", said_before, re.I)]
    if not brought:
        return False
    by_ref = {p.ref: p for p in passages}
    quoted = content_terms(" ".join(" ".join((*by_ref[c.ref].headings, c.span.readable)) for c in chosen))
    # ('part-timers' are the 'part-time staff' of the texts)
    return not any(content_terms(re.sub(r"part[- ]timers?", "part-time", group, flags=re.I)) <= quoted
                   for group in brought)


def _history_for(question: str | None, history: Sequence[Turn]) -> Sequence[Turn]:
    """The conversation the question is read in: none when the asker says it stands alone ('Unrelated, but ...'),
    which only the question as typed shows (_clean drops those words)."""
    return () if says_new_subject(question or "") else history


def _read_as_asked(question: str) -> str:
    """'Separate thing - ...', 'Could you tell me what ...', 'the lisbon office': the words that ask, places
    capitalised ('... She's asking me what she needs to do first.': the colleague's question, without who relays it)."""
    return without_relay(without_preamble(with_place_capitals(question)))


def _clean(question: str) -> str:
    question = " ".join((question or "").split())
    if not question:
        raise ValueError("the question is empty: send the text of a question")
    question = re.sub(r"[?!]{2,}", lambda m: "?" if "?" in m.group(0) else "!", question)  # 'enough notice??'
    # 'new starter here :) how long ...': a smiley or emoji ends what came before it, as a full stop does
    question = _EMOTICON.sub(lambda m: "" if m.end() == len(question) else ". ", question).strip()
    return _read_as_asked(question)


def says_no_answer(text: str, abstain_text: str) -> bool:
    """The model's way of abstaining: our wording, or a short uncited 'the passages do not say'."""
    norm = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    wording = " ".join(re.sub(r"[^\w\s]", " ", abstain_text.lower()).split())
    return wording in norm or (len(norm.split()) <= 40 and bool(_NO_ANSWER.search(text)))


def _table_header(version, hit: Hit, article_texts: dict[str, str]) -> str:
    """The header line of the table a passage opens inside (cut from the middle of a long table), else ''."""
    if not hit.chunk.text.startswith("|") or not hit.chunk.start:
        return ""
    if hit.doc_id not in article_texts:
        article = version.article(hit.doc_id)
        article_texts[hit.doc_id] = article.text if article is not None else ""
    return table_header_before(article_texts[hit.doc_id], hit.chunk.start)


def to_passage(ref: int, hit: Hit, untrusted: tuple[tuple[int, int], ...] = (), superseded: bool = False,
               sentence_vectors=None, flagged: tuple[tuple[int, int, str], ...] = (), lifecycle: str = "",
               table_header: str = "", since: str = "") -> Passage:
    """The hit as the model sees it; a replaced article says so in its title (models and scorer prefer current)."""
    title = hit.title
    if superseded and not SUPERSEDED_BANNER.search(title):
        title = f"{title} ({SUPERSEDED_MARK})"
    return Passage(ref=ref, text=hit.chunk.text, title=title, doc_id=hit.doc_id, chunk_id=hit.chunk_id,
                   headings=tuple(hit.chunk.headings), untrusted=untrusted, flagged=flagged,
                   sentence_vectors=sentence_vectors, lifecycle=lifecycle, superseded=superseded,
                   table_header=table_header, since=since)


def with_caution(text: str, warnings: Sequence[AnswerWarning]) -> str:
    """The answer, then one plain caution naming what was withheld (never the instruction or its site)."""
    if not warnings:
        return text
    what = sorted({re.sub(r"^asks readers to |\s*\([^)]*\)$", "", w.reason) for w in warnings})
    sources = sorted({f'"{w.title}"' for w in warnings if w.title})
    where = f"the article{'s' if len(sources) > 1 else ''} {', '.join(sources)}" if sources else "a source article"
    told = "The generated answer repeated" if all(w.source == "model" for w in warnings) else f"{where} contains"
    return (f"{text}\n\nCaution: {told[0].upper() + told[1:]} an instruction to {' / '.join(what)}. It was withheld "
            "from this answer: do not follow it, and report the article to IT security.")


def to_citation(ref: int, hit: Hit, life: ArticleLifecycle | None = None) -> Citation:
    c = hit.chunk
    life = life or ArticleLifecycle("current", None, hit.updated)
    return Citation(ref=ref, doc_id=c.doc_id, title=hit.title, source=hit.source, url=hit.url,
                    chunk_id=c.chunk_id, headings=list(c.headings), text=c.text, start=c.start, end=c.end,
                    score=round(hit.score, 6), status=life.status, updated=life.updated,
                    superseded_by=life.superseded_by)


@dataclass(frozen=True, slots=True)
class ArticleLifecycle:
    """What a reader and a model are told about an article's currency on the day of the question."""

    status: str  # current | superseded | upcoming (drafts are never indexed)
    superseded_by: str | None
    updated: str | None
    effective: str | None = None

    @property
    def since(self) -> str:
        """The day (ISO) the article's text applies from: when it took effect, else when it was last updated."""
        return str(self.effective or self.updated or "")[:10]

    @property
    def label(self) -> str:
        """'superseded, replaced by X' / 'current, updated 2026-01-20' / 'not yet in effect, effective ...'."""
        if self.status == "superseded":
            return "superseded" + (f", replaced by {self.superseded_by}" if self.superseded_by else "")
        if self.status == "upcoming":
            return "not yet in effect" + (f", effective {self.effective}" if self.effective else "")
        return "current" + (f", updated {self.updated}" if self.updated else "")


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
