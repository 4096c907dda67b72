"""`dej consensus` end to end on Parquet files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dej_platform.cli import main


def write_model(path: Path, provider: str, clouds: list[str]) -> Path:
    pl.DataFrame(
        {
            "job_posting_id": ["1", "2"],
            "provider": [provider] * 2,
            "model_id": ["m"] * 2,
            "ext_work_model_stated": ["remote", "hybrid"],
            "inf_primary_cloud": clouds,
            "inf_seniority_level": ["senior", "junior"],
        }
    ).write_parquet(path)
    return path


def test_cli_writes_reports_and_strict_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write_model(tmp_path / "a.parquet", "a", ["aws", "gcp"])
    b = write_model(tmp_path / "b.parquet", "b", ["azure", "azure"])
    truth = tmp_path / "silver.parquet"
    pl.DataFrame({"job_posting_id": ["1", "2"], "seniority": ["mid_senior", "director"]}).write_parquet(truth)
    report, page = tmp_path / "out" / "r.md", tmp_path / "out" / "r.html"
    code = main(
        [
            "consensus",
            "--inputs",
            str(a),
            str(b),
            "--report",
            str(report),
            "--html",
            str(page),
            "--truth",
            str(truth),
        ]
    )
    assert code == 0
    text = report.read_text()
    assert "a/m" in text and "b/m" in text and "seniority" in text
    assert "<svg" in page.read_text()
    assert "pass 2: failed" in capsys.readouterr().out
    strict = main(["consensus", "--inputs", str(a), str(b), "--report", str(report), "--strict"])
    assert strict == 1


def test_cli_bad_input_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "x.parquet"
    bogus.write_text("not parquet")
    assert main(["consensus", "--inputs", str(bogus), "--report", str(tmp_path / "r.md")]) == 2
    assert "dej consensus:" in capsys.readouterr().err
    assert not (tmp_path / "r.md").exists()
