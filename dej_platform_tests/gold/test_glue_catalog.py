from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dej_platform.gold.glue_catalog import glue_type, lake_table_defs, render_terraform_json, table_input
from dej_platform.gold.schema import GOLD_SCHEMAS

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "infra" / "terraform" / "glue_tables.tf.json"
GENERATOR = REPO / "infra" / "glue" / "gold_tables.py"
PROVIDER_MIRROR = Path("/opt/tf-plugins")


def test_type_mapping():
    assert glue_type(pl.List(pl.String())) == "array<string>"
    assert glue_type(pl.Datetime("us", "UTC")) == "timestamp"
    assert (
        glue_type(pl.Struct({"a": pl.Int32(), "b": pl.List(pl.Float64())})) == "struct<a:int,b:array<double>>"
    )
    assert glue_type(pl.Decimal(12, 2)) == "decimal(12,2)"
    with pytest.raises(TypeError):
        glue_type(pl.Object())


def test_table_input_matches_the_lake_layout():
    tables = {(t.layer, t.table): t for t in lake_table_defs()}
    assert {name for layer, name in tables if layer == "gold"} == set(GOLD_SCHEMAS)
    spec = table_input(tables[("silver", "job_postings")], "s3://bucket/lake/")
    assert spec["StorageDescriptor"]["Location"] == "s3://bucket/lake/silver/job_postings"
    assert (
        spec["Parameters"]["storage.location.template"]
        == "s3://bucket/lake/silver/job_postings/dt=${dt}/hr=${hr}"
    )
    assert [k["Name"] for k in spec["PartitionKeys"]] == ["dt", "hr"]
    fact = table_input(tables[("gold", "fact_job_postings")], "s3://b/l")
    columns = {c["Name"]: c["Type"] for c in fact["StorageDescriptor"]["Columns"]}
    assert columns["job_key"] == "bigint" and columns["posted_date"] == "date" and "dt" not in columns


def test_generated_terraform_is_up_to_date():
    assert GENERATED.read_text() == render_terraform_json(lake_table_defs()), (
        "run python infra/glue/gold_tables.py"
    )
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(GENERATED.read_text())
    template = doc["resource"]["aws_glue_catalog_table"]["gold__fact_job_postings"]["parameters"]
    assert template["storage.location.template"] == "${var.glue_lake_s3_uri}/gold/fact_job_postings/dt=$${dt}"


def test_generator_check_detects_a_stale_file(tmp_path: Path):
    stale = tmp_path / "glue.tf.json"
    stale.write_text("{}")
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check", "--output", str(stale)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "stale" in result.stderr


@pytest.mark.s3
def test_tables_register_in_glue_and_read_back(moto_endpoint: str):
    import boto3

    glue = boto3.client("glue", endpoint_url=moto_endpoint, region_name="us-east-1")
    glue.create_database(DatabaseInput={"Name": "dej_gold_test"})
    for table in lake_table_defs():
        if table.layer == "gold":
            glue.create_table(
                DatabaseName="dej_gold_test", TableInput=table_input(table, "s3://lake-bucket/lake")
            )
    got = glue.get_table(DatabaseName="dej_gold_test", Name="agg_salary_benchmarks")["Table"]
    assert got["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    assert [c["Name"] for c in got["StorageDescriptor"]["Columns"]][:3] == [
        "seniority_level",
        "country_code",
        "quarter",
    ]
    assert len(glue.get_tables(DatabaseName="dej_gold_test")["TableList"]) == len(GOLD_SCHEMAS)


@pytest.mark.slow
def test_terraform_validates_offline(tmp_path: Path):
    terraform = shutil.which("terraform")
    if terraform is None or not PROVIDER_MIRROR.is_dir():
        pytest.fail("terraform or its offline provider mirror (/opt/tf-plugins) is missing: run .ci/run")
    work = tmp_path / "tf"
    work.mkdir()
    shutil.copy(GENERATED, work / GENERATED.name)
    (work / "provider.tf").write_text(
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 5.0" }\n  }\n}\n'
        'provider "aws" {\n  region = "us-east-1"\n}\n'
    )
    rc = tmp_path / "terraformrc"
    rc.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{PROVIDER_MIRROR}"\n  }}\n'
        '  direct {\n    exclude = ["*/*"]\n  }\n}\n'
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    init = subprocess.run(
        [terraform, "init", "-backend=false", "-input=false", "-no-color"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert init.returncode == 0, init.stderr
    validate = subprocess.run(
        [terraform, "validate", "-no-color"], cwd=work, env=env, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stderr + validate.stdout
