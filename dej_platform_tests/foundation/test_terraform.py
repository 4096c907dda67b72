"""The AWS deployment in infra/terraform validates offline against the provider mirror on the machine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_MIRROR = Path("/opt/tf-plugins")


@pytest.mark.slow
def test_terraform_folder_validates(tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None or not PROVIDER_MIRROR.is_dir():
        pytest.fail("terraform and its offline provider mirror (/opt/tf-plugins) are needed for this test")
    work = tmp_path / "tf"
    work.mkdir()
    sources = [p for p in (ROOT / "infra" / "terraform").iterdir() if p.name.endswith((".tf", ".tf.json"))]
    assert {"main.tf", "glue_tables.tf.json"} <= {p.name for p in sources}
    for source in sources:
        shutil.copy(source, work / source.name)
    rc = tmp_path / "terraformrc"
    rc.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{PROVIDER_MIRROR}"\n  }}\n'
        '  direct {\n    exclude = ["*/*"]\n  }\n}\n'
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    for command in (["init", "-backend=false", "-input=false", "-no-color"], ["validate", "-no-color"]):
        out = subprocess.run(
            [terraform, *command], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, out.stdout + out.stderr
    # Every variable without a default is set in the example tfvars, so `terraform plan` can start from it.
    example = (ROOT / "infra" / "terraform" / "terraform.tfvars.example").read_text()
    for name in ("lake_bucket", "glue_lake_s3_uri"):
        assert f"{name} " in example or f"{name}=" in example
