"""Resources every layer shares. Layer-specific resources live in `defs/<layer>/resources.py`."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from dej_platform.lake import Lake


class LakeResource(dg.ConfigurableResource):
    """Where the lake is: a folder on this machine or `s3://bucket/prefix`."""

    url: str = Field(description="Local folder or s3://bucket/prefix (DEJ_LAKE_URL).")
    s3_endpoint_url: str | None = Field(
        default=None, description="S3 endpoint override (moto or MinIO); boto3 also reads AWS_ENDPOINT_URL."
    )

    def get_lake(self) -> Lake:
        return Lake(self.url, s3_endpoint_url=self.s3_endpoint_url)
