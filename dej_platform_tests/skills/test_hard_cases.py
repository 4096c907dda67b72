"""The hard-case table: every ambiguous term in both directions, punctuation, versions, entities, sections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dej_platform.skills.detector import SkillDetection, default_detector

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "hard_cases.yaml").read_text())["cases"]
KNOWN_KEYS = {"text", "title", "has", "not", "exact", "must", "nice", "not_must", "not_nice"}


def test_table_is_big_enough_and_well_formed() -> None:
    assert len(CASES) >= 150
    catalog = default_detector().catalog
    for case in CASES:
        assert set(case) <= KNOWN_KEYS, case
        assert set(case) - {"text", "title"}, f"case asserts nothing: {case}"
        for key in KNOWN_KEYS - {"text", "title"}:
            unknown = [s for s in case.get(key, []) if s not in catalog.skills]
            assert not unknown, f"{key} names unknown skills {unknown} in {case['text']!r}"


@pytest.fixture(scope="module")
def detections() -> list[SkillDetection]:
    """All cases in one vectorized call (the same path silver uses)."""
    import polars as pl

    detector = default_detector()
    frame = pl.DataFrame(
        {"text": [c["text"] for c in CASES], "title": [c.get("title") for c in CASES]},
        schema={"text": pl.String, "title": pl.String},
    )
    out = detector.detect_frame(frame, "text", "title")
    return [
        SkillDetection(
            skills=row["skills"],
            families=row["skills_families"],
            must_have=row["skills_must_have"],
            nice_to_have=row["skills_nice_to_have"],
            hits=row["skills_hits"],
        )
        for row in out.iter_rows(named=True)
    ]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["text"][:50] for c in CASES])
def test_hard_case(index: int, detections: list[SkillDetection]) -> None:
    case, found = CASES[index], detections[index]
    skills = set(found.skills)
    if "exact" in case:
        assert sorted(found.skills) == sorted(case["exact"]), found
    assert not set(case.get("has", [])) - skills, f"missing {set(case.get('has', [])) - skills}; got {found}"
    assert not set(case.get("not", [])) & skills, (
        f"unexpected {set(case.get('not', [])) & skills}; got {found}"
    )
    assert not set(case.get("must", [])) - set(found.must_have), found
    assert not set(case.get("nice", [])) - set(found.nice_to_have), found
    assert not set(case.get("not_must", [])) & set(found.must_have), found
    assert not set(case.get("not_nice", [])) & set(found.nice_to_have), found


def test_single_text_api_agrees_with_frame_api(detections: list[SkillDetection]) -> None:
    detector = default_detector()
    for index in (0, 10, 50, 100, len(CASES) - 1):
        one = detector.detect(CASES[index]["text"], CASES[index].get("title"))
        assert one.skills == detections[index].skills
        assert one.must_have == detections[index].must_have
