"""`dej emulator`: run the local Bright Data emulator, or write generated postings to a file.

dej emulator serve --port 8765 --seed 7 --faults rate_limit=2,slow=5
dej emulator generate --records 100000 --seed 7 --out postings.jsonl
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("emulator", help="local Bright Data emulator and posting generator")
    sub = parser.add_subparsers(dest="emulator_command", metavar="ACTION")

    serve = sub.add_parser("serve", help="serve the Bright Data datasets-v3 API on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="port (0 = any free port)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated postings")
    serve.add_argument(
        "--faults",
        default="",
        help="comma list: rate_limit=N, retry_after=S, server_error=N, slow=S, never_ready, failed, truncate, "
        "empty, errors_only",
    )
    serve.add_argument("--api-key", default=None, help="accept only this bearer key (default: any non-empty)")
    serve.add_argument(
        "--history-hours",
        type=int,
        default=48,
        help="pre-create hourly snapshots of the enabled feeds for this many past hours",
    )
    serve.set_defaults(func=_serve)

    generate = sub.add_parser("generate", help="write generated postings as NDJSON")
    generate.add_argument("--records", type=int, default=1000)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--error-rate", type=float, default=0.02)
    generate.add_argument("--quirk-rate", type=float, default=0.0)
    generate.add_argument("--out", type=Path, default=None, help="file (default: stdout)")
    generate.set_defaults(func=_generate)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _serve(args: argparse.Namespace) -> int:
    from dej_platform.bronze.emulator import Faults, start_emulator
    from dej_platform.bronze.feeds import load_feed_registry
    from dej_platform.bronze.geo import load_geo_catalog

    faults = Faults.parse(args.faults)
    registry, geo = load_feed_registry(), load_geo_catalog()
    history = [(f.discover_by, list(f.trigger_request(geo).inputs)) for f in registry.enabled()]
    emulator = start_emulator(
        seed=args.seed,
        faults=faults,
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        history=history,
        history_hours=args.history_hours,
    )
    print(
        f"Bright Data emulator on {emulator.url} (seed {args.seed}); export BRIGHTDATA_API_URL={emulator.url}",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


def _generate(args: argparse.Namespace) -> int:
    from dej_platform.bronze.emulator import write_jsonl

    kwargs = {"error_rate": args.error_rate, "quirk_rate": args.quirk_rate}
    if args.out is None:
        write_jsonl(sys.stdout.buffer, args.records, args.seed, **kwargs)
        return 0
    with open(args.out, "wb") as handle:
        written = write_jsonl(handle, args.records, args.seed, **kwargs)
    print(f"{args.records} records, {written} bytes -> {args.out}", file=sys.stderr)
    return 0
