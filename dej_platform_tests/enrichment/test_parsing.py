"""Recovering the answer object from raw model text."""

from __future__ import annotations

import json

import pytest

from dej_platform.enrichment.parsing import AnswerParseError, parse_answer

OBJ = {
    "value": {"seniority_level": "senior", "secondary_clouds": ["gcp"]},
    "confidence": {"seniority_level": 0.9},
}


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(OBJ),
        "```json\n" + json.dumps(OBJ, indent=2) + "\n```",
        "<think>\nThe title says Senior. Format: {value: ...}\n</think>\n" + json.dumps(OBJ),
        "<reasoning>Looking at { braces } in my notes.</reasoning>\n\n```json\n" + json.dumps(OBJ) + "\n```",
        "Here is the JSON:\n" + json.dumps(OBJ) + "\nLet me know if you need anything else.",
        json.dumps(OBJ)[:-1] + ",}",  # trailing comma
        '{"value": {"seniority_level": "senior", "secondary_clouds": ["gcp",],}, "confidence": {"seniority_level": 0.9,},}',
        "<reasoning>unclosed reasoning that never ends\n" + json.dumps(OBJ),
        "\ufeff" + json.dumps(OBJ),
    ],
)
def test_answer_object_is_found(raw: str) -> None:
    parsed = parse_answer(raw)
    assert parsed.obj == OBJ and not parsed.truncated


def test_largest_object_wins_over_an_example_in_prose() -> None:
    raw = 'Example: {"a": 1}\nAnswer:\n' + json.dumps(OBJ)
    assert parse_answer(raw).obj == OBJ


def test_truncated_answer_is_flagged_not_passed_as_whole() -> None:
    parsed = parse_answer('```json\n{"value": {"seniority_level": "senior", "job_family": "data_eng')
    assert parsed.truncated
    assert parsed.obj["value"]["seniority_level"] == "senior"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty_answer"),
        (None, "empty_answer"),
        ("<reasoning>I thought about it at length but wrote no answer.</reasoning>", "no_json_object"),
        ("I cannot help with that.", "no_json_object"),
        ('```json\n{"value": {"a": "b",\n " "confidence": 0.8}}\n```', "invalid_json"),
        ("[1, 2, 3]", "no_json_object"),
    ],
)
def test_unrecoverable_answers_say_why(raw: str | None, reason: str) -> None:
    with pytest.raises(AnswerParseError) as err:
        parse_answer(raw)
    assert err.value.reason == reason


def test_hostile_huge_answer_is_bounded() -> None:
    raw = "{" * 200_000 + "x"
    with pytest.raises(AnswerParseError):
        parse_answer(raw)
