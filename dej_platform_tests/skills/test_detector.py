"""Vectorized detector: the silver contract, row order, bad input, hostile text, sections, counts."""

from __future__ import annotations

import polars as pl
import pytest

from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA
from dej_platform.skills.detector import MENTIONS_COLUMN, OUTPUT_SCHEMA, SkillDetector, default_detector


@pytest.fixture(scope="module")
def detector() -> SkillDetector:
    return default_detector()


def test_output_columns_match_the_silver_contract(detector: SkillDetector) -> None:
    df = pl.DataFrame({"job_description_text": ["Python and Spark"], "job_title": ["Data Engineer"]})
    out = detector.detect_frame(df, "job_description_text", "job_title")
    for name, dtype in OUTPUT_SCHEMA.items():
        assert out.schema[name] == dtype == JOB_POSTINGS_SCHEMA[name], name
    assert out["skills_catalog_version"][0] == detector.version == detector.catalog.version
    assert out.columns[:2] == ["job_description_text", "job_title"]


def test_rows_keep_their_order_across_chunks_and_threads() -> None:
    texts = [
        f"Role {i}: " + ("Python" if i % 3 == 0 else "Scala" if i % 3 == 1 else "nothing here")
        for i in range(50)
    ]
    df = pl.DataFrame({"id": list(range(50)), "text": texts})
    small = SkillDetector(default_detector().catalog, chunk_rows=7, threads=3).detect_frame(df, "text")
    whole = SkillDetector(default_detector().catalog, chunk_rows=1000, threads=1).detect_frame(df, "text")
    assert small.equals(whole)
    expected = [["Python"] if i % 3 == 0 else ["Scala"] if i % 3 == 1 else [] for i in range(50)]
    assert small["skills"].to_list() == expected
    assert small["id"].to_list() == list(range(50))


def test_nulls_and_empty_text_give_empty_lists(detector: SkillDetector) -> None:
    df = pl.DataFrame({"text": [None, "", "   ", "Kafka"], "title": [None, "Go Developer", None, None]})
    out = detector.detect_frame(df, "text", "title")
    assert out["skills"].to_list() == [[], ["Go"], [], ["Apache Kafka"]]
    assert out["skills_hits"].null_count() == 0 and out["skills_families"].null_count() == 0


def test_empty_frame(detector: SkillDetector) -> None:
    out = detector.detect_frame(pl.DataFrame({"text": []}, schema={"text": pl.String}), "text")
    assert out.height == 0 and set(OUTPUT_SCHEMA) <= set(out.columns)


def test_bad_columns_are_refused(detector: SkillDetector) -> None:
    with pytest.raises(ValueError, match="not in frame"):
        detector.detect_frame(pl.DataFrame({"text": ["x"]}), "description")
    with pytest.raises(ValueError, match="must be a string column"):
        detector.detect_frame(pl.DataFrame({"text": [1, 2]}), "text")


def test_existing_skill_columns_are_replaced(detector: SkillDetector) -> None:
    df = pl.DataFrame({"text": ["Rust"], "skills": [["stale"]]})
    out = detector.detect_frame(df, "text")
    assert out["skills"].to_list() == [["Rust"]]
    assert out.columns.count("skills") == 1


def test_mention_counts_hits_and_implied_parents(detector: SkillDetector) -> None:
    found = detector.detect("Kafka here. Kafka there; kafka everywhere. AWS Glue and S3.")
    assert found.mentions["Apache Kafka"] == 3
    assert found.mentions["AWS"] == 0  # implied by AWS Glue / Amazon S3, never named
    assert "AWS" in found.skills and "cloud_platforms" in found.families
    assert found.hits == ["aws glue", "kafka", "s3"]


def test_frame_mentions_column(detector: SkillDetector) -> None:
    out = detector.detect_frame(pl.DataFrame({"t": ["SQL, SQL and Python"]}), "t", mentions=True)
    assert out[MENTIONS_COLUMN].to_list() == [[{"skill": "Python", "count": 1}, {"skill": "SQL", "count": 2}]]


def test_title_counts_but_is_not_a_section(detector: SkillDetector) -> None:
    found = detector.detect("Requirements:\n- Python", title="Senior Scala Engineer")
    assert "Scala" in found.skills and "Scala" not in found.must_have and found.must_have == ["Python"]


def test_must_wins_over_nice_for_the_same_skill(detector: SkillDetector) -> None:
    found = detector.detect("Requirements:\n- SQL\nNice to have:\n- SQL and Airflow")
    assert "SQL" in found.must_have and "SQL" not in found.nice_to_have
    assert found.nice_to_have == ["Apache Airflow"]


def test_hostile_and_huge_text(detector: SkillDetector) -> None:
    hostile = [
        "\x00\x01\x02\x03\x04" * 1000 + " Python ",
        "<script>alert('x')</script> C++ &#99999999; &amp;amp; &#x; Kafka",
        "a" * 300_000,
        "Python\n" * 20_000,
        "🚀 Python 🐍 — Rust • Go • Kafka",
        ".;!?\n" * 5000,
        "\x10\x11\x12\x13\x02\x03 Java",
    ]
    out = detector.detect_frame(pl.DataFrame({"t": hostile}), "t", mentions=True)
    skills = out["skills"].to_list()
    assert "Python" in skills[0]
    assert {"C++", "Apache Kafka"} <= set(skills[1])
    assert skills[2] == [] and skills[5] == []
    assert skills[3] == ["Python"] and out[MENTIONS_COLUMN][3][0]["count"] == 20_000
    assert {"Python", "Rust", "Go", "Apache Kafka"} <= set(skills[4])
    assert skills[6] == ["Java"]


def test_only_heading_lines_are_headings(detector: SkillDetector) -> None:
    """Case-pass tokens that are abbreviations or shadows never pass for a heading, even when they read like one
    ("Key Vault" vs the heading pattern "key <word>"); heading lines do."""
    import re

    spec = detector.spec
    case_words = list(spec.case_table["lower"])
    shadows = [
        lit
        for lit in spec.tag_table["literal"]
        if any(re.search(rf"(?<![a-z0-9_]){re.escape(w)}(?![a-z0-9_])", lit) for w in case_words)
    ]
    assert len(shadows) > 5 and "key vault" in shadows
    tokens = [*detector.catalog.sections.non_boundaries, *shadows, *(s.title() for s in shadows)]
    texts = [f"we use {t} daily" for t in tokens] + [f"- {t}" for t in tokens] + tokens
    texts += ["Python, SQL, etc. incl. Objective-C, approx. Go to market"]
    _tags, (_forms, headings) = detector._streams(pl.DataFrame({"text": texts}))
    assert len(headings.row) == 0
    lines = ["Requirements:", "## Nice to have", "  Preferred qualifications", "Benefits", "* About you:"]
    _tags, (_forms, headings) = detector._streams(pl.DataFrame({"text": ["\n".join(lines)]}))
    assert headings.code.tolist() == [1, 2, 2, 0, 1]  # must, nice, nice, other, must
    found = detector.detect("Nice to have:\n- Azure\n- secrets in Key Vault\n- Kafka")
    assert "Apache Kafka" in found.nice_to_have and found.must_have == []


def test_glued_on_either_side_does_not_match(detector: SkillDetector) -> None:
    texts = ["sqlxjava", "sqlxxjava", "pythonjava", "c++java", "xjava sql", "sql javax", "sql/java", "C#.NET"]
    out = detector.detect_frame(pl.DataFrame({"t": texts}), "t")["skills"].to_list()
    assert out == [[], [], [], ["Java"], ["SQL"], ["SQL"], ["Java", "SQL"], ["C#"]]
    huge = detector.detect("pythonjava" * 50_000 + " Kafka")
    assert huge.skills == ["Apache Kafka"]


def test_a_custom_catalog_changes_results_and_version(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from dej_platform.skills.catalog import catalog_path, load_catalog

    root = tmp_path / "cat"
    shutil.copytree(catalog_path(), root)
    path = root / "databases.yaml"
    path.write_text(path.read_text() + "- canonical: Zebra DB\n  aliases: [zebradb]\n")
    custom = SkillDetector(load_catalog(root))
    assert custom.detect("We love ZebraDB.").skills == ["Zebra DB"]
    assert default_detector().detect("We love ZebraDB.").skills == []
    assert custom.version != default_detector().version


def test_a_text_naming_over_a_hundred_skills_lists_them_in_catalog_order(detector: SkillDetector) -> None:
    """A row's skills span many words of the kernel's bitset; the order must not depend on the text's order."""
    from dej_platform_tests.skills.reference_detector import ReferenceDetector

    names = [
        s.aliases[0]
        for s in detector.catalog.skills.values()
        if s.aliases and len(s.aliases[0]) > 4 and s.aliases[0].isascii()
    ][:150]
    text = "Requirements:\n" + "\n".join(f"- {name}" for name in names)
    backwards = "Requirements:\n" + "\n".join(f"- {name}" for name in reversed(names))
    found = detector.detect_frame(pl.DataFrame({"t": [text, backwards]}), "t")
    reference = ReferenceDetector(detector.catalog).detect_frame(pl.DataFrame({"t": [text]}), "t")
    assert len(found["skills"][0]) > 100
    assert found["skills"][0].to_list() == found["skills"][1].to_list() == reference["skills"][0].to_list()
    assert found["skills_families"][0].to_list() == reference["skills_families"][0].to_list()
    assert found["skills_hits"][0].to_list() == reference["skills_hits"][0].to_list()
    assert found["skills_must_have"][0].to_list() == found["skills"][0].to_list()


def test_long_words_are_compared_not_just_hashed(detector: SkillDetector) -> None:
    """Words over 10 bytes are keyed by a hash and then compared: the alias matches in any case, and a word that
    differs only in its last byte (same length, same start) does not."""
    names = ["elasticsearch", "cloudformation", "opentelemetry", "dolphinscheduler"]
    exact = detector.detect_frame(pl.DataFrame({"t": [" ".join(n.upper() for n in names)]}), "t")
    near = detector.detect_frame(pl.DataFrame({"t": [" ".join(n[:-1] + "x" for n in names)]}), "t")
    assert exact["skills"][0].to_list() == [
        "AWS",  # implied by AWS CloudFormation
        "AWS CloudFormation",
        "Apache DolphinScheduler",
        "Elasticsearch",
        "OpenTelemetry",
    ]
    assert near["skills"][0].to_list() == []


@pytest.mark.parametrize("word", ["databricks", "clickhouse", "cockroachdb", "artifactory"])
def test_words_at_the_exact_key_limit(detector: SkillDetector, word: str) -> None:
    """Keys are exact up to 10 bytes and hashed from 11: both sides of the limit match in any case, and a word
    one byte off (changed, shorter or longer) does not."""
    found = detector.detect_frame(pl.DataFrame({"t": [word, word.upper(), word.title()]}), "t")["skills"]
    assert all(len(row) >= 1 for row in found.to_list()), found.to_list()
    for near in (word[:-1] + ("x" if word[-1] != "x" else "y"), word[:-1], word + "s" + "x"):
        assert detector.detect_frame(pl.DataFrame({"t": [near]}), "t")["skills"][0].to_list() == [], near
