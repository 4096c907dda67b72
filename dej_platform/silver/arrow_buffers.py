"""Arrow arrays as numpy buffers and back: a String column's UTF-8 bytes for the compiled kernels, and arrays
built over numpy buffers without `pa.array` (which imports pandas, ~0.6 s in every worker process)."""

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


def arrow_int64(values: np.ndarray) -> pa.Array:
    """An Arrow int64 array over a numpy array's buffer."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def arrow_repeat(text: str, count: int) -> pa.Array:
    """`text` `count` times, as an Arrow string array (without `pa.array`, as `arrow_int64`)."""
    encoded = text.encode()
    if len(encoded) * count >= 2**31:  # beyond int32 offsets
        return pa.array([text] * count, pa.string())
    offsets = np.arange(count + 1, dtype=np.int32) * len(encoded)
    return pa.Array.from_buffers(
        pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(encoded * count)]
    )
