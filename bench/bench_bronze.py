"""Benchmark: land one large Bright Data snapshot (served by the emulator) into the lake with bounded memory.

The emulator runs in this process; the landing (client -> lake, exactly the bronze asset's code path) runs in a
child process whose peak RSS is measured with `resource.getrusage`. Target: peak RSS < 300 MB for a 1 GB snapshot.

    python bench/bench_bronze.py              # 50 MB (default, < 1 minute)
    python bench/bench_bronze.py --size-mb 1024   # the 1 GB target
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RSS_LIMIT_MB = 300
BYTES_PER_RECORD = 5_700  # measured average NDJSON line of the generator

CHILD = r"""
import json, resource, sys, time
from datetime import UTC, datetime
from dej_platform.bronze.brightdata import BrightDataClient
from dej_platform.bronze.landing import bronze_partition, land_snapshot
from dej_platform.lake import Lake

url, key, snapshot_id, lake_dir = sys.argv[1:5]
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
client = BrightDataClient(key, api_url=url, timeout=(10, 600))
started = time.perf_counter()
landed = land_snapshot(client, Lake(lake_dir), snapshot_id, bronze_partition(datetime(2026, 1, 1, tzinfo=UTC), "bench"))
elapsed = time.perf_counter() - started
print(json.dumps({
    "bytes": landed.bytes, "records": landed.records, "error_rows": landed.error_rows, "seconds": elapsed,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "baseline_rss_mb": baseline,
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=float, default=50.0, help="approximate snapshot size (1024 = 1 GB)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "bronze.json")
    args = parser.parse_args()

    from dej_platform.bronze.brightdata import BrightDataClient, TriggerRequest
    from dej_platform.bronze.emulator import start_emulator

    records = max(1, int(args.size_mb * 1024 * 1024 / BYTES_PER_RECORD))
    search = {
        "url": "https://www.linkedin.com/jobs/search/?f_TPR=r3600&geoId=92000000&keywords=%22data%20engineer%22"
    }
    with (
        start_emulator(seed=args.seed, records_per_input=(records, records), empty_rate=0.0) as emu,
        tempfile.TemporaryDirectory(prefix="dej-bench-bronze-") as lake_dir,
    ):
        client = BrightDataClient("bench-key", api_url=emu.url)
        snapshot_id = client.trigger(TriggerRequest(discover_by="url", inputs=(search,)))
        client.wait_until_ready(snapshot_id, poll_interval_s=0.1, deadline_s=60)
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", CHILD, emu.url, "bench-key", snapshot_id, lake_dir],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
        wall = time.perf_counter() - started
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        landed_files = list(Path(lake_dir).rglob("*.jsonl"))
        on_disk = sum(p.stat().st_size for p in landed_files)
    result = {
        "benchmark": "bronze_landing",
        "target_size_mb": args.size_mb,
        "snapshot_mb": round(measured["bytes"] / 1024 / 1024, 1),
        "records": measured["records"],
        "error_rows": measured["error_rows"],
        "landed_bytes_match": on_disk == measured["bytes"],
        "seconds": round(measured["seconds"], 2),
        "wall_seconds": round(wall, 2),
        "throughput_mb_s": round(measured["bytes"] / 1024 / 1024 / measured["seconds"], 1),
        "peak_rss_mb": round(measured["peak_rss_mb"], 1),
        "baseline_rss_mb": round(measured["baseline_rss_mb"], 1),
        "rss_limit_mb": RSS_LIMIT_MB,
        "passed": measured["peak_rss_mb"] < RSS_LIMIT_MB and on_disk == measured["bytes"],
        "note": "emulator generates the snapshot on the fly in the parent process; throughput is bounded by it",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"bronze landing: {result['snapshot_mb']} MB, {result['records']} records in {result['seconds']} s "
        f"({result['throughput_mb_s']} MB/s), peak RSS {result['peak_rss_mb']} MB "
        f"(limit {RSS_LIMIT_MB}) -> {'PASS' if result['passed'] else 'FAIL'}"
    )
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
