"""Local Bright Data emulator and the deterministic LinkedIn posting generator behind it (see docs/bronze.md)."""

from dej_platform.bronze.emulator.generator import error_row, iter_records, snapshot_records, write_jsonl
from dej_platform.bronze.emulator.server import Faults, RunningEmulator, start_emulator

__all__ = [
    "Faults",
    "RunningEmulator",
    "error_row",
    "iter_records",
    "snapshot_records",
    "start_emulator",
    "write_jsonl",
]
