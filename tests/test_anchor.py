"""The story's reference date for reports that carry none."""

from __future__ import annotations

from newsweave.account import _resolve_dates, infer_anchor
from newsweave.model import Article, ArticleAnalysis, Sentence
from newsweave.timex import find


def _report(aid: str, text: str, published: str | None = None) -> tuple[Article, ArticleAnalysis]:
    sentences = [Sentence(0, 0, len(text), text)]
    analysis = ArticleAnalysis(article=aid, version="t", sentences=sentences)
    analysis.dates = find(text, sentences, anchor=published)
    return Article(id=aid, content_hash=aid, text=text, published=published), analysis


def test_the_median_publication_date_comes_first() -> None:
    reports = [
        _report("a", "The quake struck on Sunday.", "2009-01-05"),
        _report("b", "It struck on January 4, 2009.", "2009-01-07"),
        _report("c", "Aftershocks went on."),
    ]
    arts, ans = zip(*reports, strict=True)
    assert infer_anchor(arts, ans) == "2009-01-05"


def test_without_publication_dates_the_days_the_reports_write_out() -> None:
    reports = [
        _report("a", "The quake struck on January 4, 2009, and again on Monday."),
        _report("b", "Rescuers arrived on January 6, 2009; a memorial is planned for January 11."),
        _report("c", "The 2004 tsunami killed many; the quake came on Sunday."),
    ]
    arts, ans = zip(*reports, strict=True)
    assert infer_anchor(arts, ans) == "2009-01-06"  # the latest day written
    dates = _resolve_dates(list(arts), list(ans))
    # the anchor gives the year of a day a report names, with a note saying where it came from
    memorial, note = next(x for x in dates[("b", 0)] if x[0].text.endswith("11"))
    assert memorial.value == "2009-01-11"
    assert note is not None and "write out" in note
    # a weekday would need the report's own day: it is left unresolved, not guessed
    monday, _ = next(x for x in dates[("a", 0)] if x[0].text.endswith("Monday"))
    assert monday.value is None
    explicit, none = next(x for x in dates[("b", 0)] if x[0].text.endswith("2009"))
    assert (explicit.value, none) == ("2009-01-06", None)  # a date with its year needs no note
    # a year alone ("the 2004 tsunami") is no anchor: with nothing else, no date is guessed
    arts2, ans2 = zip(_report("c", "The 2004 tsunami killed many."), strict=True)
    assert infer_anchor(arts2, ans2) is None
