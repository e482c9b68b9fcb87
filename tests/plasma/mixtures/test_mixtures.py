"""Binary ionic mixtures (plasma paper Eqs 5–6, Table II): closed forms, fits, a tiny 2-species LAMMPS run."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr
from conftest import TINY_MD

from kineticflow.config import ConfigError
from kineticflow.plasma.mixtures import (
    Mixture,
    chapman_spitzer_d12,
    collect_mixture_diffusion,
    eq5_d_star,
    eq6_d_star,
    fit_mixture_models,
    interdiffusion_d12,
    mixture_coupling,
    mixture_lammps_input,
    mixture_run_diffusion,
    mixture_schedule,
    nu0,
    simulate_mixture,
    species_counts,
    table2,
    table2_comparison,
    units_factor,
)
from kineticflow.plasma.mixtures.config import check_mixtures
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star

MD = dict(TINY_MD, equilibrate_wp=60.0)
FITS = FitSettings(cs_gamma_max=2.0, eyring_gamma_min=50.0, min_relative_error=0.005, use_measured_gamma=False)


def test_coupling_moments_h_he():
    c = mixture_coupling(1, 2, 0.5)
    assert c["z53"] == pytest.approx(0.5 * (1 + 2 ** (5 / 3)))  # 2.0874
    assert c["z"] == pytest.approx(1.5) and c["z2"] == pytest.approx(2.5)
    assert mixture_coupling(1, 1, 0.3)["z53"] == pytest.approx(1.0)


def test_units_isotopic_are_ocp_units():
    u = units_factor(Mixture("iso", 1, 1, 1, 10, 0.111))
    assert u["a1"] == pytest.approx(1.0) and u["omega_p1"] == pytest.approx(math.sqrt(3))
    # mixture omega_p uses <m> = 0.889 + 1.11 = 1.999
    assert u["to_mixture_units"] == pytest.approx(math.sqrt(0.889 + 1.11))


def test_mixing_rule():
    assert interdiffusion_d12(2.0, 1.0, 0.25) == pytest.approx(0.25 * 2.0 + 0.75 * 1.0)
    assert interdiffusion_d12(3.0, 3.0, 0.7) == pytest.approx(3.0)


def test_nu0_reduces_to_ocp():
    # m1 = m2 = 1, Z = 1: nu0 = (4/3) sqrt(pi) n / (k_B T)^{3/2} = Gamma^{3/2}/sqrt(pi)
    mix = Mixture("ocp", 1, 1, 1, 1, 0.5)
    assert nu0(mix, 2.0) == pytest.approx(2.0**1.5 / math.sqrt(math.pi))


def test_chapman_spitzer_d12_hand_value():
    mix = Mixture("ocp", 1, 1, 1, 1, 0.2)
    # by hand, Gamma = 0.1: k_BT = 10, nu0 = 10^-1.5/sqrt(pi) = 0.017841, lambda_D/r_c = 10^1.5/sqrt(3)
    # = 18.257, ln(4 * 18.257) = 4.2909; D12 = 10/(0.017841 * 4.2909) = 130.6 per time unit, /sqrt(3) = 75.41
    assert float(chapman_spitzer_d12(mix, 0.1)) == pytest.approx(75.41, rel=1e-3)
    # = plain CS limit of Eq. 2 with alpha = 1, C = 4
    g = np.array([0.05, 0.1, 0.2])
    ref = math.sqrt(math.pi / 3) / (g**2.5 * np.log(4 / (math.sqrt(3) * g**1.5)))
    assert np.allclose(chapman_spitzer_d12(mix, g), ref)
    assert np.isnan(chapman_spitzer_d12(mix, 10.0))  # ln Lambda_CS < 0
    # heavier partner: D12 ∝ 1/sqrt(mu) at fixed Gamma
    heavy = Mixture("h", 1, 1, 1, 3, 0.2)
    assert float(chapman_spitzer_d12(heavy, 0.1)) == pytest.approx(75.41 * math.sqrt(0.5 / 0.75), rel=1e-3)


def test_eq5_is_eq2_for_the_ocp():
    mix = Mixture("ocp", 1, 1, 1, 1, 0.5)
    g = np.array([0.1, 0.5, 1.0, 2.0])
    assert np.allclose(eq5_d_star(g, 0.647, 2.159 / math.sqrt(3), mix, 1), chapman_spitzer_d_star(g, 0.647, 2.159))


def _synthetic(mix: Mixture, gammas: np.ndarray, truth: dict) -> xr.Dataset:
    runs = []
    for g in gammas:
        k = units_factor(mix)["to_mixture_units"]
        d = {}
        for s in (1, 2):
            if g <= 2:
                d[s] = float(eq5_d_star(g, truth["alpha"][s], truth["c_prime"][s], mix, s))
            else:
                d[s] = float(eq6_d_star(g, truth["A"][s], truth["B"][s])) / k
        ds = xr.Dataset(
            {
                "d_1": d[1],
                "d_1_stderr": 0.01 * d[1],
                "d_2": d[2],
                "d_2_stderr": 0.01 * d[2],
                "d_12": float(interdiffusion_d12(d[1], d[2], mix.x2)),
                "d_12_stderr": 0.01 * d[2],
                "gamma_measured": g,
                "energy_drift": 0.001,
            },
            attrs={**mix.attrs(), "gamma": float(g)},
        )
        runs.append(ds)
    return collect_mixture_diffusion(runs)


def test_fits_recover_known_parameters():
    mix = Mixture("iso-m10", 1, 1, 1, 10, 0.111)
    truth = {"alpha": {1: 0.6, 2: 0.8}, "c_prime": {1: 1.3, 2: 0.9}, "A": {1: 1.5, 2: 1.2}, "B": {1: 0.008, 2: 0.006}}
    d = _synthetic(mix, np.array([0.3, 0.5, 1.0, 2.0, 50.0, 100.0, 150.0]), truth)
    f = fit_mixture_models(d, FITS)
    for p in ("alpha", "c_prime", "A", "B"):
        for s in (1, 2):
            assert float(f[p].sel(mixture="iso-m10", species=s)) == pytest.approx(truth[p][s], rel=1e-3), (p, s)
    # mixing rule and CS ratio in the collected dataset
    assert np.allclose(d["d_12"], 0.111 * d["d_1"] + 0.889 * d["d_2"])
    assert np.isfinite(float(d["d_12_over_cs"].sel(gamma=0.3).item()))


def test_table2_and_comparison():
    t = table2()
    assert len(t) == 30 and set(t["x2"]) == {0.005, 0.111}
    row = t[(t.x2 == 0.111) & (t.m2_over_m1 == 10) & (t.gamma == 1)]
    assert float(row["d2"].iloc[0]) == 1.459
    mix = Mixture("iso-m10-x0.111", 1, 1, 1, 10, 0.111)
    truth = {"alpha": {1: 0.6, 2: 0.8}, "c_prime": {1: 1.3, 2: 0.9}, "A": {1: 1.5, 2: 1.2}, "B": {1: 0.008, 2: 0.006}}
    cmp = table2_comparison(_synthetic(mix, np.array([1.0, 50.0]), truth))
    assert list(cmp["d2_paper"]) == [1.459, 0.0171]
    assert np.all(np.isfinite(cmp["rel_diff"]))


def test_schedule_and_input():
    mix = Mixture("iso-m10", 1, 1, 1, 10, 0.111)
    s1 = mixture_schedule(Mixture("iso", 1, 1, 1, 1, 0.111), 1.0, MD)
    s10 = mixture_schedule(mix, 1.0, MD)
    assert s10.n_production > s1.n_production and s10.dt == s1.dt  # heavier: longer run, same step
    assert species_counts(100, 0.111) == (89, 11)
    with pytest.raises(ValueError, match="N2 = 0"):
        species_counts(100, 0.001)
    text = mixture_lammps_input(mix=mix, gamma=1.0, seed=3, n_particles=100, schedule=s10, md=MD)
    assert "create_box      2 box" in text and "mass            2 10" in text
    assert "create_atoms    2 random 11 " in text and "kspace_style    pppm" in text


def test_check_mixtures_messages():
    good = {
        "enabled": True,
        "gammas": [1.0],
        "seeds": [1],
        "md": {"n_particles": 150, "n_blocks": 4},
        "mixtures": [{"name": "a", "z1": 1, "z2": 1, "m1": 1, "m2": 10, "x2": 0.111}],
    }
    check_mixtures(good)
    bad = {**good, "mixtures": [*good["mixtures"], dict(good["mixtures"][0])]}
    with pytest.raises(ConfigError, match=r"plasma\.mixtures\.mixtures\[1\]\.name"):
        check_mixtures(bad)
    few = {**good, "mixtures": [dict(good["mixtures"][0], x2=0.005)]}
    check_mixtures({**few, "enabled": False})  # counts checked only when the mixtures run
    with pytest.raises(ConfigError, match="x2"):
        check_mixtures(few)


@pytest.mark.md
def test_tiny_two_species_run(tmp_path):
    # isotopic, equal masses: the two species are the same physics, so D1 ≈ D2 within errors
    mix = Mixture("same", 1, 1, 1, 1, 0.5)
    ds = mixture_run_diffusion(simulate_mixture(mix, 1.0, 5, MD, threads=1, workdir=tmp_path))
    assert float(ds["temperature_mean"]) == pytest.approx(1.0, rel=0.1)
    assert float(ds["energy_drift"]) < 0.01 and int(ds["n_lost"]) == 0
    d1, d2 = float(ds["d_1"]), float(ds["d_2"])
    e1, e2 = float(ds["d_1_stderr"]), float(ds["d_2_stderr"])
    assert np.isfinite([d1, d2, e1, e2]).all() and d1 > 0 and d2 > 0 and e1 > 0 and e2 > 0
    # short single run: block errors ignore time correlations, so allow 3 sigma + 15 %
    assert abs(d1 - d2) < 3 * math.hypot(e1, e2) + 0.15 * (d1 + d2) / 2
    assert 0.5 < d1 / 1.95 < 2.0  # OCP D*(Gamma = 1) ≈ 1.95: the magnitude only
    # vacf_j(0) = 3 k_BT_j/m_j in (a1 omega_p1)^2 = 3 k_BT_j/3 for m_j = 1; both species near k_BT
    assert float(ds["vacf_2"][0]) == pytest.approx(float(ds["temperature_2"]), rel=1e-6)
    assert float(ds["temperature_1"]) == pytest.approx(float(ds["temperature_2"]), rel=0.15)
    assert float(ds["d_12"]) == pytest.approx(0.5 * (d1 + d2))
    assert ds.attrs["n_1"] == 50 and ds.attrs["n_2"] == 50


@pytest.mark.workflow
@pytest.mark.md
def test_workflow_mixture_outputs(workflow_run):
    """config/test.yaml runs one tiny mixture (N = 150, Γ = 1, 50): every output present and sane."""
    import pandas as pd

    from kineticflow.core.io import read_dataset

    base = workflow_run / "results/plasma/mixtures"
    runs = sorted(base.glob("iso-m10-x0.111_gamma-*_seed-1.nc"))
    assert len(runs) == 2
    for path in runs:
        ds = mixture_run_diffusion(read_dataset(path, required=["vacf_1", "vacf_2"], dims=["lag"]))
        assert float(ds["energy_drift"]) < 0.02 and float(ds["d_1"]) > 0 and float(ds["d_2"]) > 0
        assert "create_box      2 box" in (base / (path.name[:-3] + ".in.lammps")).read_text()
    d = read_dataset(base / "diffusion.nc", required=["d_1", "d_2", "d_12", "d_12_cs"], dims=["mixture", "gamma"])
    assert np.allclose(d["d_12"], 0.111 * d["d_1"] + 0.889 * d["d_2"])
    table = pd.read_csv(base / "table2.csv")
    assert list(table["d2_paper"]) == [1.459, 0.0171] and {"d2", "d2_stderr", "rel_diff"} <= set(table.columns)
    assert set(pd.read_csv(base / "fits.csv")["parameter"]) == {"alpha", "c_prime", "A", "B"}
    assert (workflow_run / "results/plasma/figures/mixtures_iso-m10-x0.111.png").stat().st_size > 10_000
