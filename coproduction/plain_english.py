"""How easy a piece of writing is to read, said as years of schooling, for staff as they write.

    from coproduction.plain_english import score
    result = score(text)
    result.years        # 7  (Flesch-Kincaid grade: roughly the years of school needed)
    result.is_plain     # True when years <= PLAIN_ENGLISH_YEARS (9)
    result.advice       # a plain-English prompt when it is too hard, else ""
    result.long_sentences, result.long_words   # where to start

Syllables are counted with British English hyphenation (pyphen, which textstat installs).
textstat's own English path would download the CMU pronouncing dictionary from the internet the
first time it runs, which a locked-down NHS server cannot do; asking it for "en-GB" takes the
hyphenation path instead, with no download.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PLAIN_ENGLISH_YEARS = 9
EASIEST_YEARS = 5  # below this the formula says little: "fewer than 5 years"
LONG_SENTENCE_WORDS = 25
LONG_WORD_SYLLABLES = 4
LANGUAGE = "en-GB"


@dataclass(frozen=True)
class ReadingScore:
    years: int | None  # years of schooling needed; None when there is nothing (or too little) to score
    long_sentences: int = 0
    long_words: list[str] = field(default_factory=list)

    @property
    def is_plain(self) -> bool:
        return self.years is None or self.years <= PLAIN_ENGLISH_YEARS

    @property
    def summary(self) -> str:
        if self.years is None:
            return _("There is not enough text to check yet.")
        if self.years < EASIEST_YEARS:
            return _("Reading age: fewer than %(years)d years of schooling.") % {"years": EASIEST_YEARS}
        return ngettext(
            "Reading age: about %(years)d year of schooling.",
            "Reading age: about %(years)d years of schooling.",
            self.years,
        ) % {"years": self.years}

    @property
    def advice(self) -> str:
        if self.is_plain:
            return ""
        tips = [
            _("This is harder to read than it should be. Aim for %(target)d years of schooling or fewer.")
            % {"target": PLAIN_ENGLISH_YEARS},
        ]
        if self.long_sentences:
            tips.append(
                ngettext(
                    "Split %(count)d long sentence into shorter ones.",
                    "Split %(count)d long sentences into shorter ones.",
                    self.long_sentences,
                )
                % {"count": self.long_sentences}
            )
        if self.long_words:
            tips.append(_("Use everyday words instead of: %(words)s.") % {"words": ", ".join(self.long_words)})
        else:
            tips.append(_("Use everyday words and say “you” and “we”."))
        return " ".join(tips)


def _textstat():
    from textstat.textstat import textstatistics

    scorer = textstatistics()
    scorer.set_lang(LANGUAGE)
    return scorer


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n{2,}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def score(text: str | None) -> ReadingScore:
    """Score the text. Never raises: an unscorable text gets `years=None`."""
    text = (text or "").strip()
    words = _WORD.findall(text)
    if len(words) < 3:
        return ReadingScore(years=None)
    scorer = _textstat()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no easy words vocabulary for en-GB, using english"
        try:
            grade = scorer.flesch_kincaid_grade(text)
            long_words = _long_words(words, scorer)
        except Exception:  # noqa: BLE001 - a scoring aid must never stop someone saving their work
            return ReadingScore(years=None)
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    long_sentences = sum(1 for s in sentences if len(_WORD.findall(s)) > LONG_SENTENCE_WORDS)
    return ReadingScore(years=max(1, round(grade)), long_sentences=long_sentences, long_words=long_words)


def _long_words(words: list[str], scorer, limit: int = 5) -> list[str]:
    seen: list[str] = []
    for word in words:
        lower = word.lower()
        if lower in seen or "-" in lower:
            continue
        if scorer.syllable_count(lower) >= LONG_WORD_SYLLABLES:
            seen.append(lower)
        if len(seen) == limit:
            break
    return seen


def score_fields(**texts: str) -> dict[str, ReadingScore]:
    """Score several named texts at once (for a form: {"what_you_will_do": score, ...})."""
    return {name: score(text) for name, text in texts.items()}
