"""Catalog lint and loading: the real catalog is clean; each kind of mistake is refused with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dej_platform.skills import catalog as catalog_module
from dej_platform.skills.catalog import CATALOG_ENV_VAR, CatalogError, catalog_path, load_catalog, match_key

REAL = catalog_path()


def test_real_catalog_is_valid_and_large() -> None:
    cat = load_catalog(REAL)
    assert len(cat.skills) >= 500
    seed_families = {
        "cloud_platforms", "programming_languages", "data_processing", "orchestration", "data_warehouses",
        "databases", "transformation_tools", "bi_tools", "python_libraries", "devops_tools", "version_control",
        "governance_quality", "practices", "monitoring_logging", "certifications", "soft_skills", "erp_systems",
    }  # fmt: skip
    new_families = {
        "ml_ai", "genai", "streaming", "table_formats", "data_observability", "semantic_layer", "reverse_etl",
        "vector_databases", "infrastructure",
    }  # fmt: skip
    used = {s.family for s in cat.skills.values()}
    assert seed_families | new_families <= used
    assert cat.version.startswith("sc-") and len(cat.version) == 19


def test_no_alias_is_claimed_twice_and_canonicals_unique() -> None:
    cat = load_catalog(REAL)
    owners: dict[str, str] = {}
    for skill in cat.skills.values():
        for form in (*skill.aliases, *skill.forms):
            key = match_key(form)
            assert owners.setdefault(key, skill.canonical) == skill.canonical, (
                key,
                owners[key],
                skill.canonical,
            )
    lowered = [c.lower() for c in cat.skills]
    assert len(lowered) == len(set(lowered))


def test_every_ambiguous_term_of_the_issue_has_a_context_rule() -> None:
    cat = load_catalog(REAL)
    by_form: dict[str, str] = {}
    for skill in cat.skills.values():
        for form in (*skill.forms, *(f.lower() for f in skill.case_forms)):
            by_form[form] = skill.canonical
    for term in ("go", "r", "c", "spark", "glue", "lambda", "delta", "unity", "fabric", "excel", "blob", "mode",
                 "shell"):  # fmt: skip
        assert term in by_form, f"{term!r} has no context rule"
    all_aliases = {a for s in cat.skills.values() for a in s.aliases}
    for generic in (
        "api",
        "apis",
        "delta",
        "unity",
        "glue",
        "lambda",
        "fabric",
        "blob",
        "mode",
        "shell",
        "go",
        "r",
    ):
        assert generic not in all_aliases, f"{generic!r} must not be an unconditional alias"
    assert "snowflake schema" in cat.skills["Dimensional Modeling"].aliases


def test_parent_chain_and_implication() -> None:
    cat = load_catalog(REAL)
    assert cat.skills["AWS Glue"].parent == "AWS"
    assert cat.implied_ancestors("AWS Glue") == ("AWS",)
    assert cat.implied_ancestors("Power Query") == ()  # implies_parent: false
    assert cat.ancestors("MetricFlow") == ("dbt Semantic Layer", "dbt")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "cat"
    shutil.copytree(REAL, target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


@pytest.mark.parametrize(
    ("file", "snippet", "message"),
    [
        ("databases.yaml", "- canonical: PostgreSQL\n  aliases: [postgres sql db]\n", "duplicate canonical"),
        ("databases.yaml", "- canonical: Another Postgres\n  aliases: [postgres]\n", "also claimed by"),
        ("databases.yaml", "- canonical: Spaced Alias\n  aliases: [post-gres ql]\n", None),
        (
            "databases.yaml",
            "- canonical: Orphan\n  parent: Nowhere\n  aliases: [orphan db]\n",
            "unknown parent",
        ),
        (
            "databases.yaml",
            "- canonical: Bad Near\n  context:\n    forms: [badnear]\n    near: [family:nope]\n",
            "unknown family",
        ),
        (
            "databases.yaml",
            "- canonical: Bad Veto\n  context:\n    forms: [vv]\n    veto: [nothing here]\n",
            "contains none of its forms",
        ),
        ("databases.yaml", "- canonical: Typo Field\n  alias: [typo]\n", "Extra inputs"),
        ("databases.yaml", "- canonical: Unmatchable\n  match_canonical: false\n", "no way to match"),
        ("databases.yaml", "- canonical: Dot End\n  aliases: [etc thing.]\n", "cannot use"),
    ],
)
def test_lint_refuses_mistakes(tmp_path: Path, file: str, snippet: str, message: str | None) -> None:
    root = _copy(tmp_path)
    _append(root / file, snippet)
    if message is None:  # a harmless addition loads fine
        assert "Spaced Alias" in load_catalog(root).skills
        return
    with pytest.raises(CatalogError) as err:
        load_catalog(root)
    assert any(message in p for p in err.value.problems), err.value.problems


def test_unknown_family_file_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "quantum.yaml").write_text("family: quantum\nskills:\n- canonical: Qiskit\n  aliases: [qiskit]\n")
    with pytest.raises(CatalogError, match="unknown family 'quantum'"):
        load_catalog(root)


def test_parent_cycle_and_bad_yaml_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root / "databases.yaml", "- canonical: Ping\n  parent: Pong\n  aliases: [ping db]\n"
            "- canonical: Pong\n  parent: Ping\n  aliases: [pong db]\n")  # fmt: skip
    with pytest.raises(CatalogError, match="parent cycle"):
        load_catalog(root)
    (root / "databases.yaml").write_text("family: databases\nskills: [unclosed\n")
    with pytest.raises(CatalogError, match="cannot read YAML"):
        load_catalog(root)


def test_missing_folder_names_the_env_var(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=CATALOG_ENV_VAR):
        load_catalog(tmp_path / "nope")


def test_env_var_overrides_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    monkeypatch.setenv(CATALOG_ENV_VAR, str(root))
    assert catalog_module.catalog_path() == root
    assert load_catalog().source_dir == root
    monkeypatch.delenv(CATALOG_ENV_VAR)
    assert catalog_module.catalog_path() == REAL


def test_version_is_a_content_hash(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    before = load_catalog(root).version
    assert load_catalog(root).version == before
    _append(root / "databases.yaml", "- canonical: Brand New DB\n  aliases: [brand new db]\n")
    after = load_catalog(root)
    assert after.version != before
    assert "Brand New DB" in after.skills


def test_catalog_error_survives_pickling() -> None:
    """Raised in a silver worker process, the error reaches the parent pickled: its problems must stay a list."""
    import pickle

    error = CatalogError(["unknown family 'x' in a.yaml", "alias 'go' claimed by Go and Golang"])
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, CatalogError)
    assert copy.problems == error.problems
    assert str(copy) == str(error) and "2 problem(s)" in str(copy)
