"""The on-disk store of compiled catalogs: keyed by catalog bytes and code, never stale, never in the way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dej_platform.skills import compiled_store, detector
from dej_platform.skills.catalog import catalog_path

TEXTS = [
    "We use Python, Apache Spark and dbt on Snowflake; Kafka is a plus.",
    "Requirements: SQL, Airflow, AWS (S3, Glue). Nice to have: Terraform, Kubernetes.",
]


@pytest.fixture
def fresh_default(monkeypatch, tmp_path):
    """`default_detector` rebuilt from scratch with the store in `tmp_path/cache` (restored afterwards)."""
    monkeypatch.setenv(compiled_store.CACHE_ENV_VAR, str(tmp_path / "cache"))
    detector.default_detector.cache_clear()
    yield tmp_path / "cache"
    detector.default_detector.cache_clear()


def _skills(found: detector.SkillDetector) -> list[list[str]]:
    return detector.skills_in(TEXTS, found)


def test_the_key_follows_the_catalog_bytes_and_the_code(tmp_path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(catalog_path(), catalog)
    package = tmp_path / "package"
    shutil.copytree(
        Path(compiled_store.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    base = compiled_store.cache_key(catalog, package)
    assert compiled_store.cache_key(catalog, package) == base
    some_yaml = sorted(catalog.rglob("*.yaml"))[-1]
    some_yaml.write_bytes(some_yaml.read_bytes() + b"\n# a comment is a change too\n")
    changed_catalog = compiled_store.cache_key(catalog, package)
    (package / "scanner.py").write_text((package / "scanner.py").read_text() + "\n# code change\n")
    changed_code = compiled_store.cache_key(catalog, package)
    (catalog / "extra.yaml").write_text("x: 1\n")
    added_file = compiled_store.cache_key(catalog, package)
    assert len({base, changed_catalog, changed_code, added_file}) == 4


def test_a_stored_catalog_is_loaded_without_compiling(fresh_default, monkeypatch) -> None:
    """The first default detector compiles and stores; the next (a new process, here a cleared cache) loads the
    store, finds the same skills, and never calls the compiler."""
    first = detector.default_detector()
    expected = _skills(first)
    assert len(list(fresh_default.glob("skills-catalog-*.pickle"))) == 1
    detector.default_detector.cache_clear()
    detector._COMPILED.clear()

    def no_compiling(spec):
        raise AssertionError("compiled although a stored catalog was there")

    monkeypatch.setattr(detector, "build_scan_tables", no_compiling)
    second = detector.default_detector()
    assert second is not first and second.version == first.version
    assert _skills(second) == expected and any(expected)


def test_a_damaged_entry_is_compiled_again_and_replaced(fresh_default) -> None:
    expected = _skills(detector.default_detector())
    (entry,) = fresh_default.glob("skills-catalog-*.pickle")
    entry.write_bytes(b"not a pickle")
    detector.default_detector.cache_clear()
    assert _skills(detector.default_detector()) == expected
    assert entry.read_bytes()[:1] == b"\x80"  # a pickle again


def test_a_store_that_cannot_be_written_is_skipped(monkeypatch, tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv(compiled_store.CACHE_ENV_VAR, str(blocked / "cache"))
    compiled_store.store("k", {"a": 1})
    assert compiled_store.load("k") is None


def test_only_the_newest_entries_are_kept(monkeypatch, tmp_path) -> None:
    import os

    monkeypatch.setenv(compiled_store.CACHE_ENV_VAR, str(tmp_path))
    for index in range(4):
        compiled_store.store(f"k{index}", index)
        os.utime(tmp_path / f"skills-catalog-k{index}.pickle", (1_000 + index, 1_000 + index))
    compiled_store.store("new", "newest", keep=3)
    assert sorted(p.name for p in tmp_path.glob("skills-catalog-*.pickle")) == [
        "skills-catalog-k2.pickle",
        "skills-catalog-k3.pickle",
        "skills-catalog-new.pickle",
    ]
    assert compiled_store.load("new") == "newest" and compiled_store.load("k0") is None
