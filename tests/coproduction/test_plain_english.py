"""Reading age for staff as they write: years of schooling, with a prompt when it is too hard."""

import pytest

from coproduction import plain_english
from coproduction.plain_english import PLAIN_ENGLISH_YEARS, score

PLAIN = "You will join a small group. We will meet once a month. We will pay you for your time."
HARD = (
    "Participants will be expected to contribute substantively to the co-production of comprehensive "
    "pulmonary rehabilitation pathway redesign deliverables, facilitating stakeholder engagement across "
    "organisational boundaries and ensuring that multidisciplinary perspectives are systematically incorporated."
)


def test_plain_text_needs_few_years_of_schooling_and_gets_no_prompt():
    result = score(PLAIN)
    assert result.years is not None and result.years <= PLAIN_ENGLISH_YEARS
    assert result.is_plain and result.advice == ""
    assert "years of schooling" in result.summary or "year of schooling" in result.summary


def test_hard_text_gets_a_plain_english_prompt_with_where_to_start():
    result = score(HARD)
    assert result.years > PLAIN_ENGLISH_YEARS and not result.is_plain
    assert f"Aim for {PLAIN_ENGLISH_YEARS} years of schooling or fewer" in result.advice
    assert "Split 1 long sentence" in result.advice
    assert "rehabilitation" in result.long_words
    assert "Use everyday words instead of" in result.advice


@pytest.mark.parametrize("text", [None, "", "   ", "Hi there"])
def test_too_little_text_is_not_scored(text):
    result = score(text)
    assert result.years is None and result.is_plain
    assert result.summary == "There is not enough text to check yet."


def test_scoring_never_downloads_anything(monkeypatch):
    # textstat's US-English path fetches a pronouncing dictionary from the internet; ours must not.
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("tried to download")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    assert score(HARD).years > PLAIN_ENGLISH_YEARS


def test_a_scoring_failure_does_not_stop_anyone_saving(monkeypatch):
    class Broken:
        def flesch_kincaid_grade(self, text):
            raise RuntimeError("boom")

    monkeypatch.setattr(plain_english, "_textstat", lambda: Broken())
    assert score(HARD).years is None


def test_score_fields_scores_each_text():
    results = plain_english.score_fields(what=PLAIN, criteria=HARD)
    assert results["what"].is_plain and not results["criteria"].is_plain
