"""The offline support scorer (real embedding model), ALCE citation rules, and the LLM judge's plumbing."""

from __future__ import annotations

import pytest

from ragqa.eval.grounding_judge import LLMJudge, OfflineSupportJudge, Verdict, judge_sentences
from ragqa.service.llm.base import LLMError

HOURS = ("The Leeds office is open from 07:00 to 20:00 on weekdays. Visitors must be signed in at reception "
         "and wear a red lanyard.")
PASSWORDS = ("Passwords no longer expire. Every account needs a passphrase of at least 14 characters and "
             "multi-factor authentication with the Fernhill Authenticator app.")


@pytest.fixture(scope="module")
def offline(embedder):
    return OfflineSupportJudge(embedder)


@pytest.mark.parametrize("sentence", [
    "The Leeds office is open from 07:00 to 20:00 on weekdays [1].",  # copied, as the extractive answerer does
    "On weekdays the Leeds office opens at 07:00 and closes at 20:00.",  # reworded, same facts
    "Visitors have to sign in at reception and wear a red lanyard.",
])
def test_supported_sentences(offline, sentence):
    verdict = offline.supports(sentence, [HOURS])
    assert verdict.supported, verdict


@pytest.mark.parametrize(("sentence", "reason"), [
    ("The Leeds office is open from 08:00 to 19:30 on weekdays.", "number 08:00, 19:30 not in the cited"),
    ("Passphrases need at least 12 characters.", "number 12 not in the cited"),
    ("Visitors must not be signed in at reception.", "negation differs"),
    ("Passwords expire.", "negation differs"),
    ("The canteen serves a vegetarian lunch every Friday.", "content words"),
])
def test_unsupported_sentences_say_why(offline, sentence, reason):
    passages = [HOURS, PASSWORDS]
    verdict = offline.supports(sentence, passages)
    assert verdict.supported is False and reason in verdict.reason, verdict


def test_alce_recall_and_precision(offline):
    passages = {1: HOURS, 2: PASSWORDS}
    sentences = [
        {"text": "The Leeds office is open from 07:00 to 20:00 on weekdays.", "refs": [1]},
        {"text": "The Leeds office is open from 07:00 to 20:00 on weekdays.", "refs": [1, 2]},  # [2] is redundant
        {"text": "Every account needs a passphrase of at least 14 characters.", "refs": [1]},  # wrong citation
        {"text": "Passwords no longer expire.", "refs": []},
        {"text": "Passwords no longer expire.", "refs": [7]},  # a passage that was not given
    ]
    verdicts = judge_sentences(offline, sentences, passages)
    assert [v["supported"] for v in verdicts] == [True, True, False, False, False]
    assert [v["precise"] for v in verdicts] == [1, 1, 0, 0, 0]


class ScriptedJudgeLLM:
    """Protocol stand-in for a remote LLM judge: says yes when the claim's last word is in the prompt's passages."""

    name = "scripted"

    def __init__(self, fail: bool = False):
        self.fail = fail
        self.prompts: list[str] = []

    def generate(self, request):
        if self.fail:
            raise LLMError("scripted backend at http://127.0.0.1:9: connection refused")
        prompt = request.messages[0]["content"]
        self.prompts.append(prompt)
        passages = prompt.split("Claim:")[0]
        return "Yes." if request.question.rstrip(".").split()[-1] in passages else "No, it is not supported."

    def stream(self, request):
        yield self.generate(request)


def test_llm_judge_verdicts_and_cache():
    llm = ScriptedJudgeLLM()
    judge = LLMJudge(llm)
    assert judge.name == "llm:scripted"
    assert judge.supports("It needs a lanyard [2].", [HOURS]) == Verdict(True, 1.0, "judge: yes")
    assert judge.supports("It needs a badge.", [HOURS]).supported is False
    judge.supports("It needs a lanyard.", [HOURS])
    assert len(llm.prompts) == 2  # the repeated claim was cached
    assert '<passage ref="1">' in llm.prompts[0] and "Claim: It needs a lanyard" in llm.prompts[0]
    assert "[2]" not in llm.prompts[0].split("Claim:")[1]  # citation markers are not part of the claim


def test_llm_judge_failure_is_undecided_not_unsupported():
    judge = LLMJudge(ScriptedJudgeLLM(fail=True))
    verdicts = judge_sentences(judge, [{"text": "It needs a lanyard.", "refs": [1]}], {1: HOURS})
    assert verdicts[0]["supported"] is None and "connection refused" in verdicts[0]["reason"]
    assert judge.errors == 1
