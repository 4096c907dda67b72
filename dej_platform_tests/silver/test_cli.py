"""`dej silver` outside Dagster: counts printed, files written, exit code tied to conservation."""

from __future__ import annotations

import json

import polars as pl
import pytest

from dej_platform.cli import main
from dej_platform_tests.silver.conftest import HOSTILE_EXPECTED, HOSTILE_ITEMS, write_bronze


@pytest.mark.slow  # `dej` builds every subcommand's parser, importing the whole platform
def test_cli_writes_silver_and_quarantine(tmp_path, capsys) -> None:
    bronze = write_bronze(tmp_path / "in.jsonl.gz", HOSTILE_ITEMS, gz=True)
    out, q = tmp_path / "silver.parquet", tmp_path / "q.parquet"
    code = main(["silver", "--input", str(bronze), "--output", str(out), "--quarantine", str(q)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {k: summary[k] for k in HOSTILE_EXPECTED} == HOSTILE_EXPECTED
    assert summary["conserved"] is True
    assert pl.read_parquet(out).height == HOSTILE_EXPECTED["silver_rows"]
    assert pl.read_parquet(q)["reason"].str.starts_with("invalid_json").sum() == 1
    # Outside a lake path there is no feed or hour to read from the file name.
    assert pl.read_parquet(out)["ingestion_hour"].null_count() == HOSTILE_EXPECTED["silver_rows"]
