"""The similarity engine on its own (no database): copies found with their passages and share,
boilerplate and unrelated texts left alone, the numpy banding equal to datasketch's."""

import numpy as np
import pytest

from manyi.applications.forms.specs import MATERIALS_GUIDANCE, TEN_POINTS
from manyi.reviews.similarity import engine
from manyi.reviews.similarity.boilerplate import boilerplate_texts
from tests.reviews.factories import chinese_text


@pytest.fixture(scope="module")
def seed_words():
    return engine.boilerplate_hashes(boilerplate_texts())


def docs(*texts, owners=None):
    return [engine.Document(k, text, owners[k] if owners else k) for k, text in enumerate(texts)]


def test_a_copied_passage_is_found_with_its_passages_and_share(seed_words):
    source = chinese_text(1, 2800)
    copied = source[1000:1600]
    target = chinese_text(2, 1200) + copied + chinese_text(3, 1000)
    result = engine.compare(docs(target, source), seed_words, threshold=0.2)
    assert len(result.matches) == 1
    found = result.matches[0]
    assert found.share_a == pytest.approx(600 / 2800, abs=0.02)
    assert found.share_b == pytest.approx(600 / 2800, abs=0.02)
    assert len(found.passages) == 1
    passage = found.passages[0]
    assert copied.strip("，。") in target[passage.a_start : passage.a_end]
    assert target[passage.a_start : passage.a_end] == source[passage.b_start : passage.b_end]


def test_a_copy_with_other_punctuation_spaces_and_digits_is_still_found(seed_words):
    source = chinese_text(4, 300) + "2023年产值１２００万元" + chinese_text(5, 300)
    target = source.replace("，", "、 ").replace("。", "；\n").replace("１２００", "1200")
    result = engine.compare(docs(target, source), seed_words, threshold=0.3)
    assert len(result.matches) == 1
    assert result.matches[0].share_a > 0.95
    passage = result.matches[0].passages[0]
    # The passage is cut from the original text, with its own punctuation.
    assert "\n" in target[passage.a_start : passage.a_end]


def test_a_short_text_copied_into_a_long_one_is_found_across_sections(seed_words):
    profile = chinese_text(6, 200)
    measures = chinese_text(7, 1300) + profile + chinese_text(8, 1300)
    result = engine.compare(docs(profile, measures), seed_words, threshold=0.3)
    assert len(result.matches) == 1
    assert result.matches[0].share_a > 0.9
    assert result.matches[0].share_b < 0.1


def test_the_seeds_own_guidance_alone_is_not_a_copy(seed_words):
    headings = "".join(f"{n}、{point}：" for n, point in enumerate(TEN_POINTS, start=1))
    a = MATERIALS_GUIDANCE + headings + chinese_text(9, 600)
    b = MATERIALS_GUIDANCE + headings + chinese_text(10, 600)
    assert engine.compare(docs(a, b), seed_words, threshold=0.1).matches == []
    # Without the seed's words removed the two would be flagged: the test checks the removal.
    unfiltered = engine.compare(docs(a, b), np.zeros(0, dtype=np.uint64), threshold=0.1)
    assert len(unfiltered.matches) == 1


def test_unrelated_texts_are_not_flagged(seed_words):
    texts = [chinese_text(100 + k, 2800) for k in range(30)]
    result = engine.compare(docs(*texts), seed_words, threshold=0.1)
    assert result.matches == []


def test_a_passage_most_applicants_write_counts_as_boilerplate(seed_words):
    stock = chinese_text(17, 200)
    texts = [chinese_text(200 + k, 60) + stock + chinese_text(300 + k, 60) for k in range(25)]
    assert engine.compare(docs(*texts), seed_words, threshold=0.1).matches == []
    prepared = engine.prepare_many(texts, seed_words)
    common = engine.common_hashes(prepared)
    assert len(common) >= 150  # the passage's shingles (its punctuation gone)
    assert engine.match(prepared[0], prepared[1], common).share_a == 0
    # Among a few texts the same passage is a copy.
    few = engine.compare(docs(*texts[:3]), seed_words, threshold=0.1)
    assert len(few.matches) == 3


def test_texts_of_the_same_owner_are_not_compared(seed_words):
    text = chinese_text(11, 500)
    result = engine.compare(docs(text, text, owners=["甲", "甲"]), seed_words, threshold=0.3)
    assert result.matches == []


def test_earlier_texts_are_compared_with_this_years_only(seed_words):
    text = chinese_text(12, 500)
    documents = [
        engine.Document("old-1", text, 1, query=False),
        engine.Document("old-2", text, 2, query=False),
    ]
    assert engine.compare(documents, seed_words, threshold=0.3).matches == []
    documents.append(engine.Document("new", text, 3))
    assert len(engine.compare(documents, seed_words, threshold=0.3).matches) == 2


def test_signatures_are_stable_and_survive_storage(seed_words):
    text = chinese_text(13, 2800)
    first = engine.signatures([engine.prepare(text, seed_words)])[0]
    again = engine.signatures([engine.prepare(text, seed_words)])[0]
    assert first.shape == (engine.window_count(len(engine.prepare(text, seed_words).hashes)), 128)
    assert np.array_equal(first, again)
    assert np.array_equal(engine.from_bytes(engine.to_bytes(first)), first)


def test_prepare_many_equals_prepare_one_at_a_time(seed_words):
    texts = [chinese_text(20 + k, 50 * k + 3) for k in range(8)] + ["", "短"]
    many = engine.prepare_many(texts, seed_words, batch_chars=700)
    for text, batch in zip(texts, many, strict=True):
        single = engine.prepare(text, seed_words)
        assert np.array_equal(single.hashes, batch.hashes)
        assert np.array_equal(single.starts, batch.starts)
        assert np.array_equal(single.positions, batch.positions)


def test_numpy_banding_finds_the_same_candidates_as_datasketch(seed_words):
    base = chinese_text(14, 900)
    texts = [chinese_text(400 + k, 900) for k in range(12)]
    texts[3] = base
    texts[7] = base[:450] + chinese_text(15, 450)
    texts[9] = chinese_text(16, 300) + base[200:500]
    prepared = engine.prepare_many(texts, seed_words)
    sigs = engine.signatures(prepared)
    ours = {tuple(p) for p in engine.candidate_pairs(sigs).tolist()}
    assert ours == engine.candidate_pairs_datasketch(sigs)
    assert {(3, 7), (3, 9)} <= ours
