"""BM25F: title over tags over body, rarer terms over common ones, saturation, length."""
import pytest

from services.knowledge import ranking

AVERAGES = {"title": 5, "tags": 3, "body": 100}
LENGTHS = {"title": 5, "tags": 3, "body": 100}


def one_term(field, tf=1, lengths=LENGTHS):
    return ranking.score({"t": {field: tf}}, lengths, AVERAGES, {"t": 1.0})


def test_title_weighs_over_tags_over_body():
    assert one_term("title") > one_term("tags") > one_term("body") > 0


def test_rare_terms_weigh_more():
    assert ranking.idf(1, 1000) > ranking.idf(100, 1000) > ranking.idf(900, 1000) > 0


def test_repeats_saturate():
    gains = [one_term("body", tf) for tf in (1, 2, 4, 8, 16)]
    assert gains == sorted(gains)
    assert gains[-1] < ranking.K1 + 1
    assert gains[-1] - gains[-2] < gains[1] - gains[0]


def test_a_longer_body_dilutes_the_match():
    longer = dict(LENGTHS, body=400)
    assert one_term("body", lengths=longer) < one_term("body")


def test_more_matched_terms_score_higher():
    idfs = {"a": 1.0, "b": 1.0}
    one = ranking.score({"a": {"body": 1}}, LENGTHS, AVERAGES, idfs)
    both = ranking.score({"a": {"body": 1}, "b": {"body": 1}}, LENGTHS, AVERAGES, idfs)
    assert both == pytest.approx(2 * one)


def test_no_match_scores_zero():
    assert ranking.score({}, LENGTHS, AVERAGES, {}) == 0
