"""`dej sql "SELECT ..."`: DuckDB over every lake table by name (gold, silver, silver_ai)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sql",
        help="run SQL (DuckDB) over the lake's tables by name",
        description=(
            "Every lake table is a view: fact_job_postings, dim_company, agg_salary_benchmarks, job_postings, ... "
            "(and layer-qualified, e.g. gold.fact_job_postings). Gold tables and silver.job_postings_current "
            "show their latest daily snapshot unless --all-partitions is given."
        ),
    )
    parser.add_argument(
        "query", nargs="?", help='e.g. "SELECT skill, postings FROM agg_skill_demand_weekly LIMIT 5"'
    )
    parser.add_argument("--lake", help="lake folder or s3://bucket/prefix (default: DEJ_LAKE_URL or ./.lake)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument(
        "--all-partitions", action="store_true", help="every daily snapshot, not just the latest"
    )
    parser.add_argument(
        "--max-rows", type=int, default=200, help="rows printed by --format table (default 200)"
    )
    parser.add_argument("--tables", action="store_true", help="list the registered tables and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from dej_platform.gold.sql import (
        QueryResult,
        format_csv,
        format_json,
        format_table,
        register_lake_tables,
        run_query,
    )
    from dej_platform.lake import Lake
    from dej_platform.settings import default_lake_url

    lake = Lake(args.lake or default_lake_url())
    if args.tables:
        con = duckdb.connect(":memory:")
        try:
            registered = register_lake_tables(con, lake, args.all_partitions)
        finally:
            con.close()
        listing = QueryResult(
            ["view", "alias", "files", "partitions"],
            [(t.view, t.alias or "", t.files, t.partitions) for t in registered],
        )
        print(format_table(listing))
        return 0
    if not args.query:
        print("dej sql: give a query, or --tables to list what can be queried", file=sys.stderr)
        return 2
    try:
        result = run_query(lake, args.query, args.all_partitions)
    except duckdb.Error as exc:
        print(f"dej sql: {exc}", file=sys.stderr)
        return 1
    if args.format == "csv":
        sys.stdout.write(format_csv(result))
    elif args.format == "json":
        print(format_json(result))
    else:
        print(format_table(result, max_rows=args.max_rows))
    return 0
