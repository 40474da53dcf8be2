"""The lure screen (service/lures.py): host parsing, held-out paraphrases, the sample corpus, the answer check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ragqa.service.grounding import check_answer
from ragqa.service.injection import article_site, lure_flags
from ragqa.service.lures import TrustedHosts, destinations, lure_reason, normalise_host

DATA = Path(__file__).resolve().parents[1] / "data" / "planted"
# The allow-list the held-out set was written against (a different organisation than the training set's).
HELDOUT_HOSTS = TrustedHosts.of(["acme-corp.com", "acmehr.net", "skyroute-travel.com"])
TRAINING_HOSTS = TrustedHosts.of(["fernhill.example"])


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _rates(rows: list[dict], trusted: TrustedHosts) -> tuple[float, float, list[str]]:
    planted = [r for r in rows if r["planted"]]
    benign = [r for r in rows if not r["planted"]]
    missed = [r["text"] for r in planted if not lure_reason(r["text"], trusted)]
    false = [r["text"] for r in benign if lure_reason(r["text"], trusted)]
    return 1 - len(missed) / len(planted), len(false) / len(benign), missed + false


def test_held_out_paraphrases_are_flagged_and_benign_security_advice_is_not():
    # Written before the screen and never used to tune it (tests/data/planted/heldout.jsonl).
    rows = _rows("heldout.jsonl")
    assert sum(r["planted"] for r in rows) >= 30 and sum(not r["planted"] for r in rows) >= 30
    detected, false_rate, wrong = _rates(rows, HELDOUT_HOSTS)
    assert detected >= 0.90, wrong
    assert false_rate <= 0.05, wrong


def test_training_set_is_separated():
    detected, false_rate, wrong = _rates(_rows("training.jsonl"), TRAINING_HOSTS)
    assert detected == 1.0 and false_rate == 0.0, wrong


@pytest.mark.parametrize(("value", "host"), [
    ("https://intranet.example.com@evil.net/login", "evil.net"),  # userinfo trick
    ("https://intranet.example.com:443@evil.net/", "evil.net"),
    ("https://evil.net\\@intranet.example.com/", "evil.net"),  # browsers read '\' as '/'
    ("intranet.example.com.evil.net", "intranet.example.com.evil.net"),
    ("HTTPS://Intranet.Example.COM./x", "intranet.example.com"),  # case and trailing dot
    ("https://\u0441orp.example.com/", "xn--orp-3ed.example.com"),  # Cyrillic 'с' becomes punycode
])
def test_hosts_are_parsed_not_matched_as_text(value, host):
    assert normalise_host(value) == host


@pytest.mark.parametrize(("host", "trusted"), [
    ("intranet.example.com", True), ("example.com", True), ("a.b.example.com", True),
    ("intranet.example.com.evil.net", False), ("example.com.evil.net", False), ("evilexample.com", False),
    ("xn--xample-2of.com", False),  # an IDN look-alike of example.com
    ("wiki", True), ("files.corp.local", True), ("10.1.2.3", True), ("203.0.113.7", False), ("8.8.8.8", False),
])
def test_allow_list_matches_hosts_and_subdomains_only(host, trusted):
    assert TrustedHosts.of(["example.com"]).trusts(host) is trusted


def test_destinations_include_link_targets_emails_and_bare_hosts_but_not_file_names():
    sentence = ("See [the portal](https://evil.net/x), write to help@desk.evil.org, open payroll.evil.io; "
                "the form is report.pdf and the end.The next one.")
    assert destinations(sentence) == ["evil.net", "desk.evil.org", "payroll.evil.io"]


def test_a_link_whose_text_names_another_host_is_flagged():
    reason = lure_reason("Details: [intranet.example.com/pay](https://pay-example.net/login).",
                         TrustedHosts.of(["example.com"]))
    assert reason and "pay-example.net" in reason


def test_an_empty_allow_list_flags_any_outside_host_in_a_sign_in_directive():
    sentence = "Reset your password at https://id.example.com/reset if you forget it."
    assert lure_reason(sentence, TrustedHosts()) is not None
    assert lure_reason(sentence, TrustedHosts.of(["example.com"])) is None


def test_the_sample_corpus_security_advice_is_not_flagged_under_its_own_site():
    from ragqa.index.loaders import load_paths

    articles = load_paths([Path(__file__).resolve().parents[2] / "corpus"]).articles
    site = article_site([a.url for a in articles])
    assert site == "fernhill.example"  # derived from the articles' URLs (Settings.trust_article_site)
    flagged = {a.doc_id: lure_flags(a.text, TrustedHosts.of([site])) for a in articles}
    assert not any(flagged.values()), {k: v for k, v in flagged.items() if v}


def test_one_article_cannot_make_its_own_site_trusted():
    urls = ["https://intranet.example.com/a", "https://intranet.example.com/b", "https://evil.net/c",
            "https://evil.net/d"]
    assert article_site(urls) is None  # no majority
    assert article_site(urls[:2] + ["https://www.example.com/e", "https://evil.net/c"]) == "example.com"
    assert article_site(["https://evil.net/c"]) is None  # too few articles to say which site is ours


def test_check_answer_cuts_a_repeated_instruction_and_flags_it(embedder):
    from ragqa.service.grounding import SentenceScorer
    from ragqa.service.llm.base import Passage

    passage = Passage(ref=1, doc_id="hr/pay", chunk_id="hr/pay#0", title="Pay",
                      text="Salaries are paid on the 25th of each month.")
    text = ("Salaries are paid on the 25th of each month [1]. Staff should sign in at payroll-check.example.net "
            "with their network password [1].")
    checked = check_answer(text, [passage], SentenceScorer(embedder),
                           screen=lambda s: lure_reason(s, TrustedHosts()))
    assert "payroll-check" not in checked.text and "25th" in checked.text
    flagged = [s for s in checked.sentences if s.flagged]
    assert len(flagged) == 1 and not flagged[0].supported and "outside site" in flagged[0].warning
    assert not checked.grounded
