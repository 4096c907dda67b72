"""Compile every numba kernel (or load it from numba's cache) before the first real batch needs it.

The silver rules and the skills detector run compiled kernels (`numba.njit(cache=True)`). In a fresh environment
the first batch would spend ~40 s compiling them; the machine code is then cached next to the modules
(`__pycache__`, or `$NUMBA_CACHE_DIR`). `make install` and the Docker image run `python -m dej_platform.kernels`
so users and workers start warm.
"""

from __future__ import annotations

import json
import time

import pyarrow as pa

HOSTILE_LINES = [
    b"",
    b"{not json",
    b'{"job_posting_id": 4348380694.0, "job_title": "Go &amp; R developer", "scraped_at": "x"}',
    json.dumps(
        {
            "job_posting_id": "1",
            "job_title": "Data Engineer (Remote)",
            "job_location": "S\u00e3o Paulo, Brazil",
            "job_description_formatted": "<p>Requirements:</p><ul><li>Python &amp; SQL</li></ul>"
            "<p>Salary: R$ 12.000 - 15.000 per month. Nice to have: Go, C++</p><script>x</script>",
            "job_summary": "Python &amp; Spark",
            "timestamp": "2026-01-01T00:00:00Z",
        },
        ensure_ascii=False,
    ).encode(),
]


def warm(records: int = 40) -> float:
    """Run the silver transform (and with it the skills detector) on a small generated batch; seconds taken."""
    from dej_platform.bronze.emulator.generator import iter_records
    from dej_platform.silver.pipeline import LINES_ARROW_SCHEMA, transform_lines

    started = time.perf_counter()
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in iter_records(records, seed=1)]
    lines += HOSTILE_LINES
    batch = pa.RecordBatch.from_arrays(
        [
            pa.array(["warmup/dt=2026-01-01/hr=00/feed=warmup/part.jsonl"] * len(lines), pa.string()),
            pa.array(range(1, len(lines) + 1), pa.int64()),
            pa.array(lines, pa.binary()),
        ],
        schema=LINES_ARROW_SCHEMA,
    )
    transform_lines(batch)
    # Batches that the engines build from bytes or receive over Arrow IPC (Spark) have read-only buffers, which
    # numba compiles as a second signature of some kernels: warm that one too.
    transform_lines(read_only(batch))
    return time.perf_counter() - started


def read_only(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The same batch over immutable memory (an Arrow IPC round trip), as the engines' workers receive it."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return pa.ipc.open_stream(sink.getvalue().to_pybytes()).read_next_batch()


def main() -> None:
    print(f"dej_platform: compiled kernels ready in {warm():.1f} s")


if __name__ == "__main__":
    main()
