"""Word matching: acronyms an article spells out, an acronym's plural, irregular verb forms."""

from __future__ import annotations

from ragqa.words import content_terms, long_forms, matched_terms, spelled_out


def test_an_acronym_an_article_spells_out_is_given_its_words():
    texts = ["All changes go through a pull request (PR).", "They issue a Temporary Access Pass (TAP)."]
    assert spelled_out("How big is a PR allowed to be?", texts) == "How big is a PR (pull request) allowed to be?"
    assert spelled_out("How long is a TAP valid?", texts) == "How long is a TAP (temporary access pass) valid?"
    assert spelled_out("Who runs the UK office?", texts) == "Who runs the UK office?"  # spelled out nowhere


def test_an_acronym_matches_its_plural_and_a_verb_its_irregular_forms():
    assert matched_terms(content_terms("How big is a PR?"), content_terms("Keep PRs small.")) == {"pr"}
    assert matched_terms(content_terms("Is maternity leave paid?"), content_terms("at full pay")) == {"paid"}
    assert matched_terms(content_terms("Can I pay by card?"), content_terms("It is paid monthly.")) == {"pay"}
    assert not matched_terms(content_terms("Is it paid?"), content_terms("The fee is waived."))


def test_forms_of_one_word_the_stemmer_keeps_apart_match():
    # 'respond' / 'response': six shared letters, short endings
    assert matched_terms(content_terms("How quickly should I respond?"), content_terms("a first response")) \
        == {"respond"}
    # 'approve' / 'approach' share only five letters: different words
    assert matched_terms(content_terms("Who approves it?"), content_terms("a new approach")) == set()


def test_a_hedge_says_nothing_of_what_is_asked():
    # 'roughly' had made a sentence saying 'roughly 2% of its budget' share a word with 'Roughly how many troops ...?'
    assert content_terms("Roughly how many troops are there?") == content_terms("How many troops are there?")


def test_long_forms_read_an_acronym_from_its_initials_and_hyphenated_parts_only_when_asked():
    text = "Sites hold river-level (RL) sensors; review each pull request (PR); use multi-factor authentication (MFA)."
    assert long_forms(text) == {"PR": "pull request"}
    assert long_forms(text, by_parts=True) == {"RL": "river-level", "PR": "pull request",
                                               "MFA": "multi-factor authentication"}
