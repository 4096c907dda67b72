"""Glue/Athena table definitions for the lake's Parquet tables, generated from the code's schemas.

One Glue database per layer (`dej_silver`, `dej_silver_ai`, `dej_gold`), so Athena names match `dej sql`'s
qualified names. Partitions use Athena partition projection (no crawler, no MSCK REPAIR): `dt` is a date
from the project's first day to NOW and `hr` an hour 00-23, laid out exactly as the lake writes them.
Outputs: boto3 `create_table` inputs and a Terraform JSON file (`*.tf.json`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from dej_platform.gold.schema import GOLD_SCHEMAS
from dej_platform.silver.schema import JOB_POSTINGS_CURRENT_SCHEMA, JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA

PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PROJECTION_START = "2026-01-01"
_PLACEHOLDER = re.compile(r"\$\{(?!var\.)")  # Athena's ${dt}, not Terraform's ${var.x}: escaped as $${dt}


@dataclass(frozen=True)
class LakeTableDef:
    layer: str
    table: str
    schema: Mapping[str, pl.DataType]
    partition_keys: tuple[str, ...]
    description: str


def lake_table_defs(extra: Sequence[LakeTableDef] = ()) -> list[LakeTableDef]:
    """Every Parquet table whose schema lives in code (+ `extra`, e.g. schemas read from a lake file)."""
    tables = [
        LakeTableDef(
            "silver", "job_postings", JOB_POSTINGS_SCHEMA, ("dt", "hr"), "Cleaned postings per hour."
        ),
        LakeTableDef(
            "silver", "job_postings_quarantine", QUARANTINE_SCHEMA, ("dt", "hr"), "Rejected lines + reason."
        ),
        LakeTableDef(
            "silver",
            "job_postings_current",
            JOB_POSTINGS_CURRENT_SCHEMA,
            ("dt",),
            "Latest version of every job.",
        ),
        *(
            LakeTableDef("gold", name, schema, ("dt",), f"Gold {name}, daily snapshot.")
            for name, schema in GOLD_SCHEMAS.items()
        ),
    ]
    known = {(t.layer, t.table) for t in tables}
    return tables + [t for t in extra if (t.layer, t.table) not in known]


def glue_type(dtype: Any) -> str:
    """The Hive/Athena type of a Polars type."""
    simple: dict[type[pl.DataType], str] = {
        pl.String: "string",
        pl.Int8: "tinyint",
        pl.Int16: "smallint",
        pl.Int32: "int",
        pl.Int64: "bigint",
        pl.UInt8: "smallint",
        pl.UInt16: "int",
        pl.UInt32: "bigint",
        pl.UInt64: "bigint",
        pl.Float32: "float",
        pl.Float64: "double",
        pl.Boolean: "boolean",
        pl.Date: "date",
        pl.Datetime: "timestamp",
        pl.Binary: "binary",
    }
    for cls, name in simple.items():
        if isinstance(dtype, cls):
            return name
    if isinstance(dtype, pl.List | pl.Array):
        return f"array<{glue_type(dtype.inner)}>"
    if isinstance(dtype, pl.Struct):
        return "struct<" + ",".join(f"{f.name}:{glue_type(f.dtype)}" for f in dtype.fields) + ">"
    if isinstance(dtype, pl.Decimal):
        return f"decimal({dtype.precision},{dtype.scale})"
    if isinstance(dtype, pl.Null):
        return "string"
    raise TypeError(f"no Glue type for {dtype}")


def _location(lake_uri: str, table: LakeTableDef) -> str:
    return f"{lake_uri.rstrip('/')}/{table.layer}/{table.table}"


def _projection(table: LakeTableDef, location: str) -> dict[str, str]:
    params = {"projection.enabled": "true"}
    template = location
    for key in table.partition_keys:
        template += f"/{key}=${{{key}}}"
        if key == "dt":
            params |= {
                "projection.dt.type": "date",
                "projection.dt.format": "yyyy-MM-dd",
                "projection.dt.range": f"{PROJECTION_START},NOW",
                "projection.dt.interval": "1",
                "projection.dt.interval.unit": "DAYS",
            }
        elif key == "hr":
            params |= {
                "projection.hr.type": "integer",
                "projection.hr.range": "0,23",
                "projection.hr.digits": "2",
            }
        else:
            params |= {f"projection.{key}.type": "injected"}
    params["storage.location.template"] = template
    return params


def database_name(prefix: str, layer: str) -> str:
    return f"{prefix}{layer}"


def table_input(table: LakeTableDef, lake_uri: str) -> dict[str, Any]:
    """A Glue `TableInput` (boto3 `glue.create_table(DatabaseName=..., TableInput=...)`)."""
    location = _location(lake_uri, table)
    return {
        "Name": table.table,
        "Description": table.description,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE", **_projection(table, location)},
        "PartitionKeys": [{"Name": k, "Type": "string"} for k in table.partition_keys],
        "StorageDescriptor": {
            "Columns": [{"Name": name, "Type": glue_type(dtype)} for name, dtype in table.schema.items()],
            "Location": location,
            "InputFormat": PARQUET_INPUT,
            "OutputFormat": PARQUET_OUTPUT,
            "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE, "Parameters": {"serialization.format": "1"}},
        },
    }


def terraform_json(tables: Sequence[LakeTableDef]) -> dict[str, Any]:
    """Terraform JSON: one `aws_glue_catalog_database` per layer and one `aws_glue_catalog_table` per table.

    The lake location comes from `var.glue_lake_s3_uri`; `${...}` in projection templates is escaped as `$${...}`.
    """
    layers = sorted({t.layer for t in tables})
    databases = {
        f"dej_{layer}": {
            "name": f"${{var.glue_database_prefix}}{layer}",
            "description": f"dej_platform lake, {layer} layer (generated by infra/glue/gold_tables.py)",
        }
        for layer in layers
    }
    resources: dict[str, Any] = {}
    for table in tables:
        spec = table_input(table, "${var.glue_lake_s3_uri}")
        sd = spec["StorageDescriptor"]
        params = {k: _PLACEHOLDER.sub("$${", v) for k, v in spec["Parameters"].items()}
        resources[f"{table.layer}__{table.table}"] = {
            "name": table.table,
            "database_name": f"${{aws_glue_catalog_database.dej_{table.layer}.name}}",
            "description": table.description,
            "table_type": "EXTERNAL_TABLE",
            "parameters": params,
            "partition_keys": [{"name": k["Name"], "type": k["Type"]} for k in spec["PartitionKeys"]],
            "storage_descriptor": {
                "location": sd["Location"],
                "input_format": PARQUET_INPUT,
                "output_format": PARQUET_OUTPUT,
                "ser_de_info": {
                    "serialization_library": PARQUET_SERDE,
                    "parameters": {"serialization.format": "1"},
                },
                "columns": [{"name": c["Name"], "type": c["Type"]} for c in sd["Columns"]],
            },
        }
    return {
        "//": "Generated by infra/glue/gold_tables.py from the code's schemas. Do not edit by hand.",
        "variable": {
            "glue_lake_s3_uri": {
                "type": "string",
                "description": "The lake root, s3://bucket/prefix (DEJ_LAKE_URL).",
            },
            "glue_database_prefix": {
                "type": "string",
                "default": "dej_",
                "description": "Prefix of the Glue databases.",
            },
        },
        "resource": {"aws_glue_catalog_database": databases, "aws_glue_catalog_table": resources},
    }


def render_terraform_json(tables: Sequence[LakeTableDef]) -> str:
    return json.dumps(terraform_json(tables), indent=2, sort_keys=False) + "\n"
