"""Compiled catalogs kept on disk, so a process that detects skills starts in ~0.05 s instead of ~0.8 s.

Every silver worker process, the CLI and each Dagster run would otherwise parse the catalog's YAML, validate it
and compile the scan tables again. The key is the bytes of every catalog file and the source of every module of
this package (the code that builds the tables): a change to either compiles afresh, so a stale entry cannot be
read. Entries live in `$DEJ_CACHE_DIR` (default `~/.cache/dej_platform`); a store that cannot be read or written
is skipped and the catalog is compiled as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV_VAR = "DEJ_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent
_KEEP = 8


def cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV_VAR)
    return Path(override).expanduser() if override else Path.home() / ".cache" / "dej_platform"


def cache_key(catalog_root: Path, package: Path = _PACKAGE) -> str:
    """A digest of the catalog folder, its files (names and bytes) and this package's Python source."""
    import numpy as np

    # The folder too: the compiled catalog names its source files.
    digest = hashlib.sha256(
        f"{sys.version_info[:2]} numpy {np.__version__} {catalog_root.resolve()}\0".encode()
    )
    for label, root, pattern in (("catalog", catalog_root, "**/*"), ("code", package, "*.py")):
        for path in sorted(p for p in root.glob(pattern) if p.is_file()):
            digest.update(f"{label}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:32]


def _entry(key: str) -> Path:
    return cache_dir() / f"skills-catalog-{key}.pickle"


def load(key: str) -> Any | None:
    """The compiled catalog stored under `key`, or None (absent, unreadable or from another format)."""
    try:
        with open(_entry(key), "rb") as handle:
            return pickle.load(handle)
    except Exception:
        return None


def store(key: str, value: Any, keep: int = _KEEP) -> None:
    """Write `value` under `key` atomically (a reader sees the whole entry or none), keeping the `keep` newest
    entries (~2 MB each: test catalogs and code versions come and go); errors are ignored."""
    target = _entry(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".skills-catalog-")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        entries = sorted(target.parent.glob("skills-catalog-*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[: max(0, len(entries) - keep)]:
            old.unlink(missing_ok=True)
    except OSError:
        return
