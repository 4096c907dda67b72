"""A String column's UTF-8 bytes and row offsets, as the compiled text kernels read them."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa


def utf8_column(texts: pl.Series) -> tuple[Any, Any]:
    """(UTF-8 bytes, int64 row offsets into them) of a polars String Series, without copying when possible.

    The bytes are read-only either way (`np.frombuffer`), so a kernel sees one array type and compiles one
    signature."""
    array = texts.cast(pl.String).to_arrow()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buffer if data_buffer is not None else b"", dtype=np.uint8)
    return data, offsets
