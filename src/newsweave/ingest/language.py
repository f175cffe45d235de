"""Language identification with lingua, restricted to common news languages.

The detector is built once, lazily, for ~15 languages only (loading every language model costs
around a gigabyte). Low-accuracy mode on at most the first :data:`SAMPLE_CHARS` characters keeps
it fast.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from typing import Any

__all__ = ["LANGUAGES", "detect_language"]

log = logging.getLogger(__name__)

#: ISO 639-1 codes the detector chooses from.
LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "tr", "ar", "zh", "ja", "ko",
)  # fmt: skip
SAMPLE_CHARS = 2000
MIN_LETTERS = 20  # fewer letters than this: too short to say
MIN_CONFIDENCE = 0.5
MIN_SHARE = 0.75  # the main language must cover this share of the sampled paragraphs

_detector: Any = None
_lock = threading.Lock()
_LETTER_RE = re.compile(r"[^\W\d_]")


def _get_detector() -> Any:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                langs = [
                    Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                    for code in LANGUAGES
                ]
                _detector = (
                    LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
                )
                log.debug("built language detector for %s", ", ".join(LANGUAGES))
    return _detector


def _best(text: str) -> tuple[str | None, float]:
    values = _get_detector().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


def _letters(text: str) -> int:
    return len(_LETTER_RE.findall(text))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when unsure (too short, mixed)."""
    sample = (text or "")[:SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return None
    code, confidence = _best(sample)
    if code is None or confidence < MIN_CONFIDENCE:
        return None
    # mixed-language check: the paragraphs (or halves) must mostly agree
    parts = [p for p in sample.split("\n") if _letters(p) >= 40]
    if len(parts) < 2 and _letters(sample) >= 160:
        words = sample.split()
        half = len(words) // 2
        parts = [" ".join(words[:half]), " ".join(words[half:])]
    if len(parts) >= 2:
        weights: Counter[str | None] = Counter()
        for part in parts[:8]:
            part_code, part_conf = _best(part)
            weights[part_code if part_conf >= MIN_CONFIDENCE else None] += _letters(part)
        total = sum(weights.values())
        if total and weights[code] / total < MIN_SHARE:
            return None
    return code
