"""Reference values: the melting line Γ_m(κ) of the Yukawa OCP and the notes on missing published models."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.fits import d_star_table, fit_diffusion_models, fits_table
from kineticflow.plasma.ocp.formulas import eyring_d_star
from kineticflow.plasma.ocp.reference import (
    gamma_melting,
    melting_table,
    published_model_note,
    table1,
    vaulina_khrapak_gamma_m,
)

#: Hamaguchi, Farouki & Dubin, PRE 56, 4671 (1997) (κa = 1–4) and the plasma paper's Table I (κa = 0).
TABULATED = {0.0: 175.0, 1.0: 217.4, 2.0: 440.1, 3.0: 1185.0, 4.0: 3837.0}


def test_melting_line_reproduces_the_tabulated_points():
    t = melting_table()
    assert dict(zip(t.index, t["gamma_m"], strict=True)) == TABULATED
    for kappa, gm in TABULATED.items():
        assert gamma_melting(kappa) == gm
    # Table I's Γ_m (κa = 0, 1, 2, 4) is the same, so the fits of the default run keep their range
    t1 = table1()
    for kappa in t1.index:
        assert gamma_melting(kappa) == t1.loc[kappa, "gamma_m"]


def test_kappa_3_is_hamaguchi_not_the_log_interpolation():
    # the old log-interpolation between κa = 2 and 4 gave sqrt(440.1 * 3837) = 1299
    assert np.sqrt(440.1 * 3837.0) == pytest.approx(1299.5, abs=0.1)
    assert gamma_melting(3.0) == 1185.0


def test_between_the_rows_the_published_form_is_followed():
    # Vaulina & Khrapak: Γ_m(0) = 106 (4π/3)^{1/3} = 170.9, within 4 % of every tabulated point
    assert vaulina_khrapak_gamma_m(0.0) == pytest.approx(170.87, abs=0.01)
    for kappa, gm in TABULATED.items():
        assert vaulina_khrapak_gamma_m(kappa) == pytest.approx(gm, rel=0.04)
    kappas = np.linspace(0.0, 4.0, 81)
    line = np.array([gamma_melting(k) for k in kappas])
    assert np.all(np.diff(line) > 0)  # monotonic: stronger screening melts at larger Γ
    # continuous through the rows, and close to the published form everywhere between them
    for k in (0.999, 2.999, 3.001):
        assert gamma_melting(k) == pytest.approx(gamma_melting(round(k)), rel=2e-3)
    ratio = line / np.array([vaulina_khrapak_gamma_m(k) for k in kappas])
    assert ratio.min() > 0.96 and ratio.max() < 1.03
    # mid-way between κa = 2 and 3 the curve bends like the published form, below the straight log line
    assert gamma_melting(2.5) < np.sqrt(440.1 * 1185.0)
    with pytest.raises(ValueError, match="melting line"):
        gamma_melting(4.5)
    with pytest.raises(ValueError):
        vaulina_khrapak_gamma_m(-1.0)


def test_notes_say_why_a_published_model_is_missing():
    assert published_model_note(0.0) == "" and published_model_note(2.0) == ""
    assert published_model_note(3.0) == "no published model for κa = 3 (not in Table I)"
    assert "not legible" in published_model_note(1.0)
    assert "alpha C not given" in published_model_note(4.0)


def test_kappa_3_tables_say_no_published_model():
    g = np.array([60.0, 100.0, 300.0, 600.0, 1000.0])
    d = eyring_d_star(g, 3.0, 0.0008)
    ds = xr.Dataset(
        {"d_star": (("kappa", "gamma"), d[None]), "d_star_stderr": (("kappa", "gamma"), 0.02 * d[None])},
        coords={"kappa": [3.0], "gamma": g},
    )
    fits = fit_diffusion_models(ds, FitSettings())
    assert float(fits["gamma_m"].sel(kappa=3.0)) == 1185.0
    table = fits_table(fits)
    assert table["published"].isna().all()
    eyring = table[table["model"] == "eyring"]
    assert eyring["fitted"].notna().all()
    assert (eyring["note"] == "no published model for κa = 3 (not in Table I)").all()
    cs = table[table["model"] == "chapman_spitzer"]
    assert cs["note"].str.startswith("fewer than 2 D* points in the chapman_spitzer fit range").all()
    assert cs["note"].str.contains("no published model for κa = 3").all()
    dt = d_star_table(fits)
    assert dt["d_star_model_published"].isna().all() and dt["ratio_published"].isna().all()
    assert (dt["note"] == "no published model for κa = 3 (not in Table I)").all()
