"""Bronze fixtures: an emulator per test (cheap: a thread on 127.0.0.1) and a client that never really sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from dej_platform.bronze.brightdata import BrightDataClient, RetryPolicy
from dej_platform.bronze.emulator import RunningEmulator, start_emulator

SECRET_KEY = "sk-test-5f1e9c7a-DO-NOT-LEAK"
FIXED_NOW = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)


class FakeTime:
    """Injectable sleep + monotonic clock: sleeping advances the clock and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(seed=11, clock=lambda: FIXED_NOW) as emu:
        yield emu


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(emulator: RunningEmulator, fake_time: FakeTime) -> Iterator[BrightDataClient]:
    with BrightDataClient(
        SECRET_KEY,
        api_url=emulator.url,
        retry=RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0, jitter=0.5),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=lambda: 0.5,  # jitter factor exactly 1.0
        timeout=(2.0, 10.0),
    ) as c:
        yield c
