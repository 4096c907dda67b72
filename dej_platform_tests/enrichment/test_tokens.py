"""The documented token estimator."""

from __future__ import annotations

from dej_platform.enrichment.tokens import estimate_message_tokens, estimate_tokens


def test_estimator_rules() -> None:
    assert estimate_tokens("") == 0 and estimate_tokens(None) == 0
    assert estimate_tokens("data") == 1
    assert estimate_tokens("responsibilities") == 3  # 9 letters + one per further 6
    assert estimate_tokens("140000") == 2
    assert estimate_tokens('{"a": 1}') == 7  # {, ", a, ", :, 1, }: every symbol counts one
    assert estimate_tokens("a\nb") == 3
    assert estimate_message_tokens("a", None, "b") == 10


def test_english_prose_is_four_to_seven_chars_per_token() -> None:
    text = "Design and build reliable data pipelines with Spark and Airflow for our analytics platform. " * 20
    ratio = len(text) / estimate_tokens(text)
    assert 4.0 < ratio < 7.0  # cl100k reads this sentence at ~5.7 chars per token
