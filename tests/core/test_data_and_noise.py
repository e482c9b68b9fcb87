"""core.data (package data through importlib.resources) and core.noise (seeded, reproducible)."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.data import data_file, read_csv
from kineticflow.core.noise import add_noise, format_snr, parse_snr, stable_seed


def test_package_data_is_found_without_the_source_tree():
    table = read_csv("kineticflow.plasma.data", "daligault2012_table1.csv")
    # Table I of the plasma paper: Gamma_m = 175 for the OCP
    assert float(table.set_index("kappa").loc[0.0, "gamma_m"]) == pytest.approx(175.0)
    with pytest.raises(FileNotFoundError, match="ships no data file 'nope.csv'"):
        data_file("kineticflow.plasma.data", "nope.csv")


def test_stable_seed_is_order_independent_and_label_specific():
    a = stable_seed(5, {"fwhm": "100", "snr": "20"})
    assert a == stable_seed(5, {"snr": "20", "fwhm": "100"})
    assert a != stable_seed(5, {"fwhm": "100", "snr": "100"})
    assert a != stable_seed(6, {"fwhm": "100", "snr": "20"})
    assert 0 <= a < 2**32


def test_noise_has_the_requested_sigma_and_reproduces_bit_for_bit():
    clean = np.sin(np.linspace(0, 20, 200_000))  # max |S| = 1
    noisy, sigma = add_noise(clean, 50, seed=11)
    assert sigma == pytest.approx(1.0 / 50)
    assert np.std(noisy - clean) == pytest.approx(sigma, rel=0.01)  # 200k samples: ~0.16 % scatter
    again, _ = add_noise(clean, 50, seed=11)
    assert np.array_equal(noisy, again)
    same, zero = add_noise(clean, "inf", seed=11)
    assert zero == 0.0 and np.array_equal(same, clean)


def test_snr_parsing():
    assert parse_snr(None) == np.inf and format_snr(100.0) == "100" and format_snr("inf") == "inf"
    with pytest.raises(ValueError, match="SNR must be > 0"):
        parse_snr(-3)


def test_report_tables_show_value_with_error_and_percent():
    import pandas as pd

    from kineticflow.core.report import display_table, value_with_error

    # PDG rounding: the error's leading digits decide the digits of the value
    assert value_with_error(0.718, 0.063) == "0.72 ± 0.06"
    assert value_with_error(1.492, 0.012) == "1.492 ± 0.012"
    assert value_with_error(29.2, 1.0) == "29.2 ± 1.0"
    assert value_with_error(5.0, float("nan")) == "5"
    df = pd.DataFrame(
        {"parameter": ["A"], "fitted": [1.4921], "stderr": [0.0123], "rel_diff": [-0.0184], "snr": [float("inf")]}
    )
    shown = display_table(df)
    assert list(shown.columns) == ["parameter", "fitted ± stderr", "rel_diff (%)", "snr"]
    assert shown.iloc[0].tolist() == ["A", "1.492 ± 0.012", "-1.84", "inf"]
