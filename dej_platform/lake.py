"""One lake layout for a laptop folder and S3.

Every layer reads and writes through `Lake`: Hive-style paths (`<lake>/<layer>/<table>/dt=.../hr=.../file`) that
Spark, Glue, Athena, DuckDB and Polars read natively, Parquet (zstd) for tables and raw bytes for bronze.
Writes are staged in a temporary file and published in one step (rename on disk, a single PUT or a completed
multipart upload on S3), so a reader never sees half a file and an interrupted write leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import polars as pl

PARQUET_FILE = "part-00000.parquet"
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class LakePathError(ValueError):
    """A layer, table, partition value or file name that would make an unsafe or ambiguous path."""


@dataclass(frozen=True)
class LakeFile:
    uri: str
    key: str
    size: int


@dataclass(frozen=True)
class WriteResult:
    uri: str
    rows: int
    bytes: int
    partition: Mapping[str, str] = field(default_factory=dict)


def partition_path(partition: Mapping[str, str] | None) -> str:
    """`{"dt": "2026-01-01", "hr": "05"}` -> `dt=2026-01-01/hr=05`, refusing values that would break a path."""
    if not partition:
        return ""
    parts = []
    for name, value in partition.items():
        value = str(value)
        if not _SAFE_NAME.match(name):
            raise LakePathError(f"invalid partition column name {name!r}")
        if not _SAFE_VALUE.match(value) or ".." in value:
            raise LakePathError(
                f"invalid value {value!r} for partition column {name!r}: use letters, digits, '_', '-', '.' "
                "(no ':' or '/'; Dagster's hourly keys must go through partitions.hour_partition_values)"
            )
        parts.append(f"{name}={value}")
    return "/".join(parts)


def table_key(layer: str, table: str, partition: Mapping[str, str] | None = None) -> str:
    for label, name in (("layer", layer), ("table", table)):
        if not _SAFE_NAME.match(name):
            raise LakePathError(f"invalid {label} name {name!r}: lower-case letters, digits and '_'")
    key = f"{layer}/{table}"
    sub = partition_path(partition)
    return f"{key}/{sub}" if sub else key


def _check_file_name(name: str) -> None:
    if "/" in name or ":" in name or name.startswith((".", "_")) or not name:
        raise LakePathError(f"invalid file name {name!r}")


class _Backend(Protocol):
    root_uri: str

    def uri(self, key: str) -> str: ...

    def staged(self, key: str) -> contextlib.AbstractContextManager[Path]: ...

    def list_prefix(self, prefix: str) -> list[LakeFile]: ...

    def delete(self, keys: Sequence[str]) -> None: ...

    def open_input(self, key: str) -> IO[bytes]: ...

    def scan_source(self, keys: Sequence[str]) -> tuple[list[str], dict[str, str] | None]: ...


class _LocalBackend:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self.root_uri = str(self.root)

    def uri(self, key: str) -> str:
        return str(self.root / key)

    @contextlib.contextmanager
    def staged(self, key: str) -> Iterator[Path]:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        # A hidden sibling: same filesystem so the rename is atomic, and readers skip dot-files.
        tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex}")
        try:
            yield tmp
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def list_prefix(self, prefix: str) -> list[LakeFile]:
        base = self.root / prefix
        if not base.exists():
            return []
        files = []
        for path in sorted(base.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(self.root).parts):
                key = path.relative_to(self.root).as_posix()
                files.append(LakeFile(uri=str(path), key=key, size=path.stat().st_size))
        return files

    def delete(self, keys: Sequence[str]) -> None:
        for key in keys:
            (self.root / key).unlink(missing_ok=True)

    def open_input(self, key: str) -> IO[bytes]:
        return open(self.root / key, "rb")

    def scan_source(self, keys: Sequence[str]) -> tuple[list[str], dict[str, str] | None]:
        return [str(self.root / k) for k in keys], None


class _S3Backend:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None, region: str | None) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint_url = (
            endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        )
        self.region = (
            region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        )
        self.client = boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region)
        self.root_uri = f"s3://{bucket}/{self.prefix}".rstrip("/")

    def _full(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _relative(self, full_key: str) -> str:
        return full_key[len(self.prefix) + 1 :] if self.prefix else full_key

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._full(key)}"

    @contextlib.contextmanager
    def staged(self, key: str) -> Iterator[Path]:
        fd, name = tempfile.mkstemp(prefix="dej-lake-", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            # upload_file completes a multipart upload only when every part is in, and aborts it otherwise:
            # the object appears whole or not at all.
            self.client.upload_file(str(tmp), self.bucket, self._full(key))
        finally:
            tmp.unlink(missing_ok=True)

    def list_prefix(self, prefix: str) -> list[LakeFile]:
        paginator = self.client.get_paginator("list_objects_v2")
        files = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._full(prefix).rstrip("/") + "/"):
            for obj in page.get("Contents", []):
                key = self._relative(obj["Key"])
                if any(part.startswith(".") for part in key.split("/")):
                    continue
                files.append(LakeFile(uri=f"s3://{self.bucket}/{obj['Key']}", key=key, size=int(obj["Size"])))
        return sorted(files, key=lambda f: f.key)

    def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), 1000):
            chunk = [{"Key": self._full(k)} for k in keys[start : start + 1000]]
            if chunk:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": chunk, "Quiet": True})

    def open_input(self, key: str) -> IO[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"]
        return body  # type: ignore[no-any-return]  # botocore StreamingBody: read(n), iter_lines, close

    def scan_source(self, keys: Sequence[str]) -> tuple[list[str], dict[str, str] | None]:
        options: dict[str, str] = {"aws_region": self.region}
        if self.endpoint_url:
            options["aws_endpoint_url"] = self.endpoint_url
            if self.endpoint_url.startswith("http://"):
                options["aws_allow_http"] = "true"
        for env, opt in (
            ("AWS_ACCESS_KEY_ID", "aws_access_key_id"),
            ("AWS_SECRET_ACCESS_KEY", "aws_secret_access_key"),
            ("AWS_SESSION_TOKEN", "aws_session_token"),
        ):
            if os.environ.get(env):
                options[opt] = os.environ[env]
        return [self.uri(k) for k in keys], options


class Lake:
    """The data lake at `url`: a local folder (default `./.lake`) or `s3://bucket/prefix`."""

    def __init__(self, url: str, *, s3_endpoint_url: str | None = None, s3_region: str | None = None) -> None:
        self.url = url
        self._backend: _Backend
        if url.startswith("s3://"):
            bucket, _, prefix = url[len("s3://") :].partition("/")
            if not bucket:
                raise LakePathError(f"lake URL {url!r} names no bucket")
            self._backend = _S3Backend(bucket, prefix, s3_endpoint_url, s3_region)
        elif "://" in url and not url.startswith("file://"):
            raise LakePathError(f"unsupported lake URL {url!r}: use a folder path or s3://bucket/prefix")
        else:
            self._backend = _LocalBackend(Path(url.removeprefix("file://")))

    def __repr__(self) -> str:
        return f"Lake({self.root_uri!r})"

    @property
    def root_uri(self) -> str:
        return self._backend.root_uri

    @property
    def is_s3(self) -> bool:
        return isinstance(self._backend, _S3Backend)

    def uri(self, layer: str, table: str, partition: Mapping[str, str] | None = None) -> str:
        return self._backend.uri(table_key(layer, table, partition))

    # -- writing ---------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def open_output(
        self, layer: str, table: str, partition: Mapping[str, str] | None, file_name: str
    ) -> Iterator[IO[bytes]]:
        """A binary writer for one file, published only if the block finishes without an exception."""
        _check_file_name(file_name)
        key = f"{table_key(layer, table, partition)}/{file_name}"
        with self._backend.staged(key) as tmp, open(tmp, "wb") as handle:
            yield handle

    def write_bytes(
        self, layer: str, table: str, partition: Mapping[str, str] | None, file_name: str, data: bytes
    ) -> LakeFile:
        with self.open_output(layer, table, partition, file_name) as handle:
            handle.write(data)
        key = f"{table_key(layer, table, partition)}/{file_name}"
        return LakeFile(uri=self._backend.uri(key), key=key, size=len(data))

    def write_table(
        self, df: pl.DataFrame, layer: str, table: str, partition: Mapping[str, str] | None = None
    ) -> WriteResult:
        """Replace one partition (or the whole unpartitioned table) with `df`, atomically per file."""
        prefix = table_key(layer, table, partition)
        key = f"{prefix}/{PARQUET_FILE}"
        with self._backend.staged(key) as tmp:
            df.write_parquet(tmp, compression="zstd", statistics=True)
            size = tmp.stat().st_size
        stale = [
            f.key
            for f in self._backend.list_prefix(prefix)
            if f.key != key and f.key.endswith(".parquet") and "/" not in f.key[len(prefix) + 1 :]
        ]
        self._backend.delete(stale)
        return WriteResult(
            uri=self._backend.uri(key), rows=df.height, bytes=size, partition=dict(partition or {})
        )

    def write_partitioned(
        self, df: pl.DataFrame, layer: str, table: str, partition_cols: Sequence[str]
    ) -> list[WriteResult]:
        """Write a range of partitions from one frame (a single-run backfill): one file per partition."""
        missing = [c for c in partition_cols if c not in df.columns]
        if missing:
            raise KeyError(f"partition columns {missing} not in frame columns {df.columns}")
        results = []
        groups = df.partition_by(list(partition_cols), as_dict=True, include_key=False, maintain_order=True)
        for values, part in sorted(groups.items(), key=lambda item: tuple(str(v) for v in item[0])):
            partition = {c: str(v) for c, v in zip(partition_cols, values, strict=True)}
            results.append(self.write_table(part, layer, table, partition))
        return results

    def delete_files(self, files: Sequence[LakeFile | str]) -> None:
        """Remove files (as listed by `list_files`, or keys relative to the lake root)."""
        self._backend.delete([f.key if isinstance(f, LakeFile) else f for f in files])

    # -- reading ---------------------------------------------------------------------------------------------

    def list_files(
        self, layer: str, table: str, partition: Mapping[str, str] | None = None, suffix: str | None = None
    ) -> list[LakeFile]:
        files = self._backend.list_prefix(table_key(layer, table, partition))
        return [f for f in files if suffix is None or f.key.endswith(suffix)]

    def open_input(self, file: LakeFile | str) -> IO[bytes]:
        """Stream one file's bytes (`LakeFile` or a key relative to the lake root)."""
        key = file.key if isinstance(file, LakeFile) else file
        return self._backend.open_input(key)

    def read_bytes(self, file: LakeFile | str) -> bytes:
        with contextlib.closing(self.open_input(file)) as handle:
            return handle.read()

    def scan_table(
        self,
        layer: str,
        table: str,
        partitions: Sequence[Mapping[str, str]] | None = None,
        schema: Mapping[str, Any] | None = None,
    ) -> pl.LazyFrame:
        """A LazyFrame over one partition, a list of partitions, or the whole table (`partitions=None`).

        Hive columns (`dt`, `hr`, `feed`) come back as strings. With no files, an empty frame of `schema`.
        """
        if partitions is None:
            files = self.list_files(layer, table, suffix=".parquet")
        else:
            files = [f for p in partitions for f in self.list_files(layer, table, p, suffix=".parquet")]
        if not files:
            return pl.LazyFrame(schema=dict(schema) if schema else None)
        table_prefix = table_key(layer, table)
        hive_names = [seg.split("=", 1)[0] for seg in files[0].key[len(table_prefix) + 1 :].split("/")[:-1]]
        sources, options = self._backend.scan_source([f.key for f in files])
        return pl.scan_parquet(
            sources,
            hive_partitioning=bool(hive_names),
            hive_schema={name: pl.String() for name in hive_names} if hive_names else None,
            try_parse_hive_dates=False,
            storage_options=options,
            missing_columns="insert",
        )

    def read_table(
        self, layer: str, table: str, partitions: Sequence[Mapping[str, str]] | None = None
    ) -> pl.DataFrame:
        return self.scan_table(layer, table, partitions).collect()

    def list_tables(self, layer: str) -> list[str]:
        table_key(layer, "probe")  # validates the layer name
        return sorted(
            {f.key.split("/")[1] for f in self._backend.list_prefix(layer) if f.key.count("/") >= 2}
        )

    def exists(self, layer: str, table: str, partition: Mapping[str, str] | None = None) -> bool:
        return bool(self.list_files(layer, table, partition))
