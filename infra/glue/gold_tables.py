"""Generate the Glue/Athena table definitions of the lake from the code's schemas.

    python infra/glue/gold_tables.py                       # writes infra/terraform/glue_tables.tf.json
    python infra/glue/gold_tables.py --check               # exit 1 if that file is stale
    python infra/glue/gold_tables.py --from-lake .lake     # also tables whose schema is only in the lake
                                                           # (e.g. silver_ai/job_enrichment), read from a file

The Terraform JSON declares `var.glue_lake_s3_uri` and `var.glue_database_prefix`, one Glue database per layer
and one table per Parquet table, with partition projection on dt (and hr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dej_platform.gold.glue_catalog import LakeTableDef, lake_table_defs, render_terraform_json

OUTPUT = Path(__file__).resolve().parents[1] / "terraform" / "glue_tables.tf.json"
LAKE_ONLY_TABLES = (("silver_ai", "job_enrichment", ("dt", "hr")), ("silver_ai", "consensus", ("dt",)))


def tables_from_lake(lake_url: str) -> list[LakeTableDef]:
    """Schemas of tables defined outside the code contract, from the newest Parquet file in the lake."""
    import polars as pl

    from dej_platform.lake import Lake

    lake = Lake(lake_url)
    found = []
    for layer, table, partition_keys in LAKE_ONLY_TABLES:
        files = lake.list_files(layer, table, suffix=".parquet")
        if files:
            schema = dict(lake.scan_table(layer, table, None).head(0).collect_schema())
            schema = {k: v for k, v in schema.items() if k not in partition_keys and v != pl.Null()}
            found.append(
                LakeTableDef(
                    layer, table, schema, partition_keys, f"{layer}/{table} (schema read from the lake)."
                )
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is not up to date")
    parser.add_argument("--from-lake", help="lake URL to read schemas of lake-only tables from")
    args = parser.parse_args(argv)
    extra = tables_from_lake(args.from_lake) if args.from_lake else []
    text = render_terraform_json(lake_table_defs(extra))
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run python infra/glue/gold_tables.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(lake_table_defs(extra))} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
