"""What can be checked of the image and the project files without a Docker engine."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _dockerfile() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_dockerfile_python_matches_requires_python() -> None:
    [base] = [arg for ins, arg in _dockerfile() if ins == "FROM"]
    version = re.search(r"python:(\d+)\.(\d+)", base)
    assert version, base
    minimum = re.search(r">=(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert minimum and tuple(map(int, version.groups())) >= tuple(map(int, minimum.groups()))


def test_dockerfile_copies_what_exists_and_installs_java() -> None:
    steps = _dockerfile()
    for ins, arg in steps:
        if ins == "COPY":
            *sources, _dest = arg.split()
            for source in sources:
                assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    run_text = " ".join(arg for ins, arg in steps if ins == "RUN")
    assert "openjdk-17" in run_text, "local Spark needs Java 17 in the image"
    assert "pip install" in run_text and " ." in run_text, "the image installs this project (its pinned deps)"


def test_dockerfile_entrypoint_module_imports() -> None:
    [cmd] = [arg for ins, arg in _dockerfile() if ins == "CMD"]
    module = re.search(r'"-m",\s*"([\w.]+)"', cmd)
    assert module, cmd
    # A fresh interpreter with the image's environment, so the import is exactly what the code server does.
    env_lines = [arg for ins, arg in _dockerfile() if ins == "ENV"]
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(env_lines)))
    env = {k: v for k, v in env.items() if k in {"DEJ_ENV", "PYTHONUNBUFFERED"}}
    env |= {
        "DEJ_LAKE_URL": "s3://example-bucket/lake",
        "BRIGHTDATA_API_KEY": "fake",
        "PATH": "/usr/bin:/bin",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    probe = f"import {module.group(1)} as m; print(type(m.defs).__name__)"
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "Definitions"


def test_dagster_family_is_pinned_together() -> None:
    deps = PYPROJECT["project"]["dependencies"]
    pins = dict(re.match(r"([\w-]+)==([\d.]+)", d).groups() for d in deps if "==" in d)  # type: ignore[union-attr]
    assert pins["dagster"] == pins["dagster-webserver"] == "1.13.27"
    for lib in ("dagster-aws", "dagster-pyspark", "dagster-postgres"):
        assert pins[lib] == "0.29.27"
    for name in ("dagster", "polars", "pyarrow", "pyspark"):
        importlib.import_module(name)


def test_kernel_warmup_runs_every_compiled_path_without_error() -> None:
    """`make install` and the Docker image run this; a kernel that fails to compile or run must fail here."""
    from dej_platform.kernels import HOSTILE_LINES, warm

    assert any(b"&amp;" in line for line in HOSTILE_LINES) and any(b"<p>" in line for line in HOSTILE_LINES)
    assert warm(records=5) > 0


def test_kernel_warmup_leaves_nothing_to_compile_for_an_engine_batch() -> None:
    """The Polars workers build batches over immutable bytes (read-only arrays for numba): after the warm-up, such
    a batch must not compile a new signature of any kernel (it would cost seconds in every fresh environment).
    Checked in a fresh interpreter: in this one, other tests have compiled whatever they touched."""
    import subprocess
    import sys

    script = """
import json, numba
from dej_platform.bronze.emulator.generator import iter_records
from dej_platform.kernels import warm
from dej_platform.silver import engine_polars, html_text, location, location_scan, records, salary, salary_scan
from dej_platform.silver.pipeline import transform_lines
from dej_platform.skills import aggregate, scanner

def signatures():
    return {
        f"{m.__name__}.{name}": len(value.signatures)
        for m in (records, html_text, salary, salary_scan, location, location_scan, scanner, aggregate)
        for name, value in vars(m).items()
        if isinstance(value, numba.core.registry.CPUDispatcher)
    }

warm(records=5)
before = signatures()
lines = b"".join(json.dumps(r).encode() + b"\\n" for r in iter_records(12, seed=3))
transform_lines(engine_polars._buffer_batch("x/dt=2026-01-01/hr=00/feed=f/p.jsonl", 1, lines))
print(json.dumps({k: v for k, v in signatures().items() if v != before.get(k)}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "{}", done.stdout
