"""The lake behaves the same on disk and on S3: paths, ranges, overwrite, atomicity."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from dej_platform.lake import Lake, LakePathError
from dej_platform.partitions import hour_partition_values, hour_start, hours_in_window

HOURS = pl.DataFrame(
    {
        "job_posting_id": ["1", "2", "3", "4"],
        "salary": [100.0, None, 300.0, 400.0],
        "dt": ["2026-03-01", "2026-03-01", "2026-03-01", "2026-03-02"],
        "hr": ["23", "23", "22", "00"],
    }
)


@pytest.fixture(params=["local", "s3"])
def lake(request: pytest.FixtureRequest) -> Lake:
    return request.getfixturevalue("tmp_lake" if request.param == "local" else "s3_lake")


def test_hour_keys_never_reach_paths_with_colons() -> None:
    assert hour_partition_values("2026-01-01-05:00") == {"dt": "2026-01-01", "hr": "05"}
    with pytest.raises(LakePathError, match="no ':'"):
        Lake("/tmp/x").uri("silver", "t", {"hr": "2026-01-01-05:00"})
    with pytest.raises(LakePathError):
        Lake("/tmp/x").uri("silver", "t", {"dt": "../../etc"})
    with pytest.raises(LakePathError):
        Lake("/tmp/x").uri("Silver Layer", "t")


def test_exact_local_paths(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    result = lake.write_table(
        HOURS.drop("dt", "hr"), "silver", "job_postings", {"dt": "2026-03-01", "hr": "23"}
    )
    expected = tmp_path / "silver" / "job_postings" / "dt=2026-03-01" / "hr=23" / "part-00000.parquet"
    assert result.uri == str(expected)
    assert expected.is_file() and result.bytes == expected.stat().st_size and result.rows == 4
    with lake.open_output(
        "bronze", "linkedin_jobs", {"dt": "2026-03-01", "hr": "23", "feed": "de_world"}, "snapshot-s1.jsonl"
    ) as out:
        out.write(b'{"a": 1}\n')
    raw = tmp_path / "bronze/linkedin_jobs/dt=2026-03-01/hr=23/feed=de_world/snapshot-s1.jsonl"
    assert raw.read_bytes() == b'{"a": 1}\n'


def test_exact_s3_keys(s3_lake: Lake, s3_bucket: str, moto_endpoint: str) -> None:
    import boto3

    s3_lake.write_table(HOURS, "silver", "job_postings", {"dt": "2026-03-01", "hr": "23"})
    keys = [
        o["Key"]
        for o in boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=s3_bucket)["Contents"]
    ]
    assert keys == ["lake/silver/job_postings/dt=2026-03-01/hr=23/part-00000.parquet"]


def test_range_write_and_reads(lake: Lake) -> None:
    results = lake.write_partitioned(HOURS, "silver", "job_postings", ["dt", "hr"])
    assert [dict(r.partition) for r in results] == [
        {"dt": "2026-03-01", "hr": "22"},
        {"dt": "2026-03-01", "hr": "23"},
        {"dt": "2026-03-02", "hr": "00"},
    ]
    assert [r.rows for r in results] == [1, 2, 1]
    whole = lake.scan_table("silver", "job_postings").collect().sort("job_posting_id")
    assert whole["job_posting_id"].to_list() == ["1", "2", "3", "4"]
    assert whole.schema["hr"] == pl.String and whole["hr"].to_list() == ["23", "23", "22", "00"]
    one = lake.read_table("silver", "job_postings", [{"dt": "2026-03-01", "hr": "23"}])
    assert sorted(one["job_posting_id"].to_list()) == ["1", "2"]
    window = hours_in_window(hour_start("2026-03-01-23:00"), hour_start("2026-03-02-01:00"))
    assert window == [{"dt": "2026-03-01", "hr": "23"}, {"dt": "2026-03-02", "hr": "00"}]
    ranged = lake.read_table("silver", "job_postings", window)
    assert sorted(ranged["job_posting_id"].to_list()) == ["1", "2", "4"]
    assert ranged.filter(pl.col("job_posting_id") == "2")["salary"].to_list() == [None]


def test_overwrite_replaces_partition(lake: Lake) -> None:
    part = {"dt": "2026-03-01", "hr": "23"}
    lake.write_table(HOURS, "silver", "t", part)
    lake.write_table(HOURS.head(1), "silver", "t", part)
    assert lake.read_table("silver", "t", [part]).height == 1
    assert len(lake.list_files("silver", "t", part)) == 1


def test_interrupted_write_leaves_nothing(lake: Lake) -> None:
    part = {"dt": "2026-03-01", "hr": "23", "feed": "f"}
    with pytest.raises(RuntimeError), lake.open_output("bronze", "raw", part, "snapshot-x.jsonl") as out:
        out.write(b"half a snapshot")
        raise RuntimeError("connection dropped")
    assert lake.list_files("bronze", "raw") == []
    if not lake.is_s3:
        root = Path(lake.root_uri)
        leftovers = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
        assert leftovers == []


def test_empty_table_has_requested_schema(lake: Lake) -> None:
    frame = lake.scan_table("silver", "absent", schema={"job_posting_id": pl.String}).collect()
    assert frame.height == 0 and frame.schema == pl.Schema({"job_posting_id": pl.String})


def test_streaming_read_back(lake: Lake) -> None:
    lake.write_bytes("bronze", "raw", {"dt": "2026-03-01"}, "a.jsonl", b"line1\nline2\n")
    [file] = lake.list_files("bronze", "raw")
    assert lake.read_bytes(file) == b"line1\nline2\n"
    assert file.size == 12


def test_unsupported_url() -> None:
    with pytest.raises(LakePathError, match="unsupported"):
        Lake("gs://bucket/x")


def test_tmp_files_are_hidden_from_readers(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    hidden = tmp_path / "silver" / "t" / "dt=2026-03-01" / ".part-00000.parquet.tmp-abc"
    hidden.parent.mkdir(parents=True)
    hidden.write_bytes(b"partial")
    assert lake.list_files("silver", "t") == []
    os.remove(hidden)
