"""`dej skills detect` (JSONL in, JSONL out) and `dej skills catalog` (list or export the catalog)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

BATCH_ROWS = 5000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("skills", help="detect skills in text; list or export the skills catalog")
    sub = parser.add_subparsers(dest="skills_command", metavar="SUBCOMMAND")

    detect = sub.add_parser("detect", help="detect skills in a JSONL file (one JSON object per line)")
    detect.add_argument("--input", required=True, help="JSONL file to read ('-' for stdin)")
    detect.add_argument("--text-field", required=True, help="field holding the description text")
    detect.add_argument("--title-field", default=None, help="optional field holding the job title")
    detect.add_argument("--id-field", default=None, help="optional field copied to the output as 'id'")
    detect.add_argument("--output", required=True, help="JSONL file to write ('-' for stdout)")
    detect.add_argument(
        "--catalog", default=None, help="catalog folder (default: $DEJ_SKILLS_CATALOG or repo)"
    )
    detect.set_defaults(func=run_detect)

    catalog = sub.add_parser("catalog", help="list or export the skills catalog")
    catalog.add_argument("--format", choices=("table", "json", "yaml"), default="table")
    catalog.add_argument("--family", default=None, help="only this family")
    catalog.add_argument(
        "--catalog", default=None, help="catalog folder (default: $DEJ_SKILLS_CATALOG or repo)"
    )
    catalog.set_defaults(func=run_catalog)

    parser.set_defaults(func=lambda _args: (parser.print_help(), 2)[1])


def _open_in(path: str) -> IO[str]:
    return sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")


def _open_out(path: str) -> IO[str]:
    if path == "-":
        return sys.stdout
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8")


def _records(
    stream: IO[str], text_field: str, title_field: str | None, id_field: str | None, problems: list[str]
) -> Iterator[tuple[int, Any, str, str | None]]:
    """(line number, id, text, title) for every usable line; the others are described in `problems`."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {number}: expected a JSON object, got {type(record).__name__}")
            continue
        text = record.get(text_field)
        if text is None:
            problems.append(f"line {number}: missing field {text_field!r}")
            continue
        if not isinstance(text, str):
            problems.append(
                f"line {number}: field {text_field!r} is {type(text).__name__}, expected a string"
            )
            continue
        title = record.get(title_field) if title_field else None
        yield (
            number,
            record.get(id_field) if id_field else None,
            text,
            title if isinstance(title, str) else None,
        )


def run_detect(args: argparse.Namespace) -> int:
    import polars as pl

    from dej_platform.skills.catalog import CatalogError, load_catalog
    from dej_platform.skills.detector import SkillDetector, default_detector

    try:
        detector = SkillDetector(load_catalog(args.catalog)) if args.catalog else default_detector()
    except CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    problems: list[str] = []
    written = 0
    try:
        source = _open_in(args.input)
    except OSError as exc:
        print(f"cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    with source, _open_out(args.output) as out:
        batch: list[tuple[int, Any, str, str | None]] = []

        def flush() -> int:
            if not batch:
                return 0
            frame = pl.DataFrame(
                {"text": [b[2] for b in batch], "title": [b[3] for b in batch]},
                schema={"text": pl.String, "title": pl.String},
            )
            found = detector.detect_frame(frame, "text", "title")
            for (number, ident, _text, _title), row in zip(batch, found.iter_rows(named=True), strict=True):
                result: dict[str, Any] = {"line": number}
                if args.id_field:
                    result["id"] = ident
                result.update(
                    skills=row["skills"],
                    families=row["skills_families"],
                    hits=row["skills_hits"],
                    must_have=row["skills_must_have"],
                    nice_to_have=row["skills_nice_to_have"],
                    catalog_version=row["skills_catalog_version"],
                )
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
            count = len(batch)
            batch.clear()
            return count

        for item in _records(source, args.text_field, args.title_field, args.id_field, problems):
            batch.append(item)
            if len(batch) >= BATCH_ROWS:
                written += flush()
        written += flush()
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    if len(problems) > 50:
        print(f"... and {len(problems) - 50} more problems", file=sys.stderr)
    print(f"skills detect: {written} written, {len(problems)} skipped", file=sys.stderr)
    return 1 if problems else 0


def run_catalog(args: argparse.Namespace) -> int:
    from dej_platform.skills.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog(args.catalog)
    except CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        return _print_catalog(catalog, args)
    except BrokenPipeError:  # `dej skills catalog | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0


def _print_catalog(catalog: Any, args: argparse.Namespace) -> int:
    records = catalog.to_records()
    if args.family:
        if args.family not in catalog.families:
            print(
                f"unknown family {args.family!r}; families: {', '.join(sorted(catalog.families))}",
                file=sys.stderr,
            )
            return 2
        records = [r for r in records if r["family"] == args.family]
    if args.format == "json":
        json.dump({"version": catalog.version, "skills": records}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "yaml":
        yaml.safe_dump(
            {"version": catalog.version, "skills": records}, sys.stdout, sort_keys=False, allow_unicode=True
        )
    else:
        width = max((len(r["canonical"]) for r in records), default=9)
        print(f"# skills catalog {catalog.version}: {len(records)} skills")
        print(f"{'canonical'.ljust(width)}  {'family'.ljust(22)}  {'parent'.ljust(24)}  aliases")
        for r in records:
            aliases = ", ".join(r["aliases"][:6]) + (" ..." if len(r["aliases"]) > 6 else "")
            print(
                f"{r['canonical'].ljust(width)}  {r['family'].ljust(22)}  {(r['parent'] or '-').ljust(24)}  {aliases}"
            )
    return 0
