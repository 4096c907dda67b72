"""`dej skills detect` and `dej skills catalog`, called through the real `dej` entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dej_platform.cli import main


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_detect_writes_one_object_per_good_line_and_reports_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "a", "desc": "Requirements:\n- Python\n- Spark on Databricks", "title": "DE"}),
            "{broken json",
            json.dumps({"id": "b"}),
            json.dumps({"id": "c", "desc": 12}),
            json.dumps(["not", "an", "object"]),
            "",
            json.dumps({"id": "d", "desc": "Excellent people skills; labor laws."}),
        ],
    )
    out = tmp_path / "out" / "skills.jsonl"
    code = main(["skills", "detect", "--input", str(src), "--text-field", "desc", "--title-field", "title",
                 "--id-field", "id", "--output", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1  # some lines were skipped
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "d"]
    assert [r["line"] for r in rows] == [1, 7]
    assert rows[0]["skills"] == ["Apache Spark", "Databricks", "Python"]
    assert rows[0]["families"] == ["data_processing", "programming_languages"]
    assert rows[0]["hits"] == ["databricks", "python", "spark"]
    assert rows[0]["must_have"] == ["Apache Spark", "Databricks", "Python"]
    assert rows[1]["skills"] == []
    for expected in ("line 2: not valid JSON", "line 3: missing field 'desc'", "line 4: field 'desc' is int",
                     "line 5: expected a JSON object", "2 written, 4 skipped"):  # fmt: skip
        assert expected in err


def test_detect_clean_input_exits_zero(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", [json.dumps({"t": f"Kafka, Python and Go {i}"}) for i in range(3)])
    out = tmp_path / "out.jsonl"
    assert main(["skills", "detect", "--input", str(src), "--text-field", "t", "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["skills"] for r in rows] == [["Apache Kafka", "Go", "Python"]] * 3


def test_detect_missing_input_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["skills", "detect", "--input", str(tmp_path / "nope.jsonl"), "--text-field", "t",
                 "--output", str(tmp_path / "o.jsonl")])  # fmt: skip
    assert code == 2 and "cannot read" in capsys.readouterr().err


def test_catalog_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skills", "catalog", "--format", "json", "--family", "streaming"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"].startswith("sc-")
    assert {s["family"] for s in data["skills"]} == {"streaming"}
    assert any(s["canonical"] == "Apache Kafka" for s in data["skills"])
    assert main(["skills", "catalog", "--format", "yaml"]) == 0
    exported = yaml.safe_load(capsys.readouterr().out)
    assert len(exported["skills"]) >= 500
    assert main(["skills", "catalog"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("# skills catalog sc-") and "AWS Glue" in table


def test_catalog_unknown_family_and_bad_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skills", "catalog", "--family", "astrology"]) == 2
    assert "unknown family" in capsys.readouterr().err
    assert main(["skills", "catalog", "--catalog", str(tmp_path)]) == 2
    assert "invalid skills catalog" in capsys.readouterr().err
