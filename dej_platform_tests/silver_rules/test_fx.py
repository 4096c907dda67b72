"""The shipped FX table is versioned and validated; conversion refuses unknown currencies."""

from __future__ import annotations

import pytest

from dej_platform.silver import fx


def test_shipped_table_has_version_and_major_currencies():
    table = fx.load_fx_table()
    assert table.version and table.as_of
    assert len(table.usd_per_unit) >= 30
    for code in ("USD", "EUR", "GBP", "CAD", "AUD", "INR", "BRL", "JPY", "CHF", "MXN", "PLN", "ILS", "SGD"):
        assert code in table.usd_per_unit
    assert table.usd_per_unit["USD"] == 1.0


def test_to_usd():
    assert fx.to_usd(100, "USD") == 100
    assert fx.to_usd(100, "eur") == pytest.approx(100 * fx.load_fx_table().usd_per_unit["EUR"])
    assert fx.to_usd(100, "XYZ") is None
    assert fx.to_usd(100, None) is None
    assert fx.to_usd(None, "USD") is None
    assert fx.to_usd("abc", "USD") is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "mapping"),
        ({"usd_per_unit": {"USD": 1.0}}, "version"),
        ({"version": "v", "usd_per_unit": {}}, "usd_per_unit"),
        ({"version": "v", "usd_per_unit": {"USD": 1.0, "EUR": -1}}, "bad rate"),
        ({"version": "v", "usd_per_unit": {"USD": 1.0, "eur": 1.1}}, "bad currency"),
        ({"version": "v", "usd_per_unit": {"USD": 1.0, "EUR": True}}, "bad rate"),
        ({"version": "v", "usd_per_unit": {"EUR": 1.1}}, "USD"),
    ],
)
def test_bad_tables_are_refused(document, message):
    with pytest.raises(fx.FxTableError, match=message):
        fx.parse_fx_table(document)


def test_load_custom_table(tmp_path):
    path = tmp_path / "fx.yaml"
    path.write_text("version: test-1\nas_of: '2026-01-01'\nusd_per_unit: {USD: 1.0, EUR: 2.0}\n")
    table = fx.load_fx_table(path)
    assert (table.version, table.to_usd(10, "EUR")) == ("test-1", 20.0)
