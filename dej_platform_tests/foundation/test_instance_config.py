"""The production instance config is valid against Dagster's own schema, class by class."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
import yaml
from dagster._config import process_config
from dagster._core.instance.config import dagster_instance_config

ROOT = Path(__file__).resolve().parents[2]
PROD_YAML = ROOT / "infra" / "dagster" / "dagster.yaml"
LOCAL_YAML = ROOT / "infra" / "dagster" / "local.yaml"

PROD_ENV = {
    "DAGSTER_PG_USERNAME": "dagster",
    "DAGSTER_PG_PASSWORD": "not-a-real-password",
    "DAGSTER_PG_HOST": "db.internal",
    "DAGSTER_PG_DB": "dagster",
    "DAGSTER_COMPUTE_LOG_BUCKET": "dej-logs",
}


@pytest.mark.parametrize("source", [PROD_YAML, LOCAL_YAML], ids=["prod", "local"])
def test_instance_yaml_matches_dagster_schema(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in PROD_ENV.items():
        monkeypatch.setenv(name, value)
    shutil.copy(source, tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["telemetry"]["enabled"] is False


def test_every_configurable_class_accepts_its_config(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PROD_ENV.items():
        monkeypatch.setenv(name, value)
    raw = yaml.safe_load(PROD_YAML.read_text())
    checked = []
    for section in ("run_coordinator", "run_launcher", "compute_logs"):
        spec = raw[section]
        cls = getattr(importlib.import_module(spec["module"]), spec["class"])
        result = process_config(cls.config_type(), spec.get("config") or {})
        assert result.success, f"{section}: {result.errors}"
        checked.append(section)
    limits = raw["concurrency"]["runs"]["tag_concurrency_limits"]
    assert {"key": "dej/source", "value": "brightdata", "limit": 10} in limits
    assert raw["storage"]["postgres"]["postgres_db"]["password"] == {"env": "DAGSTER_PG_PASSWORD"}
    assert checked == ["run_coordinator", "run_launcher", "compute_logs"]


def test_a_typo_is_rejected(tmp_path: Path) -> None:
    text = PROD_YAML.read_text().replace("include_sidecars:", "include_sidecar:")
    raw = yaml.safe_load(text)
    spec = raw["run_launcher"]
    cls = getattr(importlib.import_module(spec["module"]), spec["class"])
    assert not process_config(cls.config_type(), spec["config"]).success
    (tmp_path / "dagster.yaml").write_text(
        PROD_YAML.read_text().replace("max_concurrent_runs: 40", "max_runs: 40")
    )
    with pytest.raises(Exception, match="max_runs"):
        dagster_instance_config(str(tmp_path))
