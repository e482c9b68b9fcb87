"""The plasma branch after the split by concern: one MD run path, the mixture Green–Kubo step on
its own, physics-only rule params, kinetic theory as a result."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr
from conftest import TINY_MD

from kineticflow.plasma.config import RESOURCE_KEYS, md_physics, mixture_md
from kineticflow.plasma.md.errors import MDQualityError
from kineticflow.plasma.md.run import _read_dumps
from kineticflow.plasma.md.transport import DiffusionError
from kineticflow.plasma.mixtures.diffusion import mixture_run_diffusion
from kineticflow.plasma.mixtures.formulas import Mixture
from kineticflow.plasma.ocp.boltzmann import chapman_enskog_d_star, landau_self_diffusion_factor
from kineticflow.plasma.ocp.kinetic_theory import ce_gamma_max, kinetic_theory, weak_coupling_table


def test_truncated_dump_gets_the_hint_naming_the_section(tmp_path):
    # a dump cut short (atoms lost in a blown-up run): OCP and mixtures share this path now
    (tmp_path / "vel.txt").write_text("ITEM: TIMESTEP\n0\n")
    for section in ("plasma.md", "plasma.mixtures.md"):
        with pytest.raises(MDQualityError, match=f"incomplete trajectory.*reduce {section}.dt_wp"):
            _read_dumps(tmp_path, ["vel.txt"], 10, "test run", section)


def test_md_params_hold_physics_only():
    phys = md_physics(TINY_MD)
    assert not set(RESOURCE_KEYS) & set(phys)
    assert set(phys) == set(TINY_MD) - {"threads", "runtime_min"}
    # a new rank count or wall-time limit leaves the params (and so the MD results) unchanged
    assert md_physics(dict(TINY_MD, threads=64, runtime_min=999)) == phys
    merged = mixture_md({"n_particles": 150, "threads": None, "dt_wp": None}, TINY_MD)
    assert merged["n_particles"] == 150 and merged["dt_wp"] == TINY_MD["dt_wp"]


def _synthetic_mixture_run(tau1: float, tau2: float, kt: float = 1.0) -> xr.Dataset:
    lag = np.arange(0.0, 40.0, 0.01)
    c1, c2 = 3 * kt * np.exp(-lag / tau1), 3 * kt * np.exp(-lag / tau2)
    noise = np.array([0.999, 1.001, 0.998, 1.002])[:, None]
    mix = Mixture("syn", 1, 1, 1, 2, 0.25)
    return xr.Dataset(
        {
            "vacf_1": ("lag", c1),
            "vacf_2": ("lag", c2),
            "vacf_1_block": (("block_1", "lag"), noise * c1),
            "vacf_2_block": (("block_2", "lag"), noise * c2),
        },
        coords={"lag": lag},
        attrs={**mix.attrs(), "gamma": 1.0, "seed": 1},
    )


def test_mixture_green_kubo_on_exponential_vacfs():
    # C(t) = 3 k_BT e^{-t/tau}: D = (1/3) int C = k_BT tau, exactly with the tail correction
    ds = mixture_run_diffusion(_synthetic_mixture_run(0.5, 2.0))
    assert float(ds["d_1"]) == pytest.approx(0.5, rel=1e-4)
    assert float(ds["d_2"]) == pytest.approx(2.0, rel=1e-4)
    assert float(ds["d_12"]) == pytest.approx(0.25 * 0.5 + 0.75 * 2.0, rel=1e-4)  # mixing rule
    assert 0 < float(ds["d_1_stderr"]) < 0.01 * 0.5
    # the tail correction is a parameter of this step only: without it the cut-off tail is missing
    short = _synthetic_mixture_run(0.5, 20.0)
    assert float(mixture_run_diffusion(short, False)["d_2"]) == pytest.approx(20 * (1 - math.exp(-40 / 20)), rel=1e-3)
    bad = _synthetic_mixture_run(0.5, 2.0)
    bad["vacf_2"] = ("lag", np.r_[1.0, -np.ones(bad.lag.size - 1)])  # integral < 0
    with pytest.raises(DiffusionError, match="non-positive"):
        mixture_run_diffusion(bad, False)


def _diffusion(kappas, gammas, d, err, gm):
    dims = ("kappa", "gamma")
    return xr.Dataset(
        {"d_star": (dims, d), "d_star_stderr": (dims, err), "gamma_measured": (dims, gm)},
        coords={"kappa": kappas, "gamma": gammas},
    )


def test_kinetic_theory_at_the_md_points():
    # kappa = 2, Gamma = 0.3: Boltzmann-CE D* = 29.39 (tests/plasma/test_plasma_models.py, Table I context)
    d = _diffusion(
        [0.0, 2.0],
        [0.1, 0.3, 100.0],
        np.array([[180.0, np.nan, 0.005], [np.nan, 29.2, 0.004]]),
        np.array([[5.0, np.nan, 1e-4], [np.nan, 1.0, 1e-4]]),
        np.array([[0.1, np.nan, 101.0], [np.nan, 0.3, 99.0]]),
    )
    th = kinetic_theory(d, n_curve=4)
    ce = th["d_star_ce"].sel(kappa=2.0, gamma=0.3).item()
    assert ce == pytest.approx(29.39, abs=0.01)
    assert th["ratio_md_ce"].sel(kappa=2.0, gamma=0.3).item() == pytest.approx(29.2 / ce)
    # strong coupling and un-simulated points carry no kinetic theory
    assert np.isnan(th["d_star_ce"].sel(kappa=2.0, gamma=100.0).item())
    assert np.isnan(th["d_star_ce"].sel(kappa=2.0, gamma=0.1).item())
    # kappa = 0: Landau = 1.190 x first Chapman-Enskog value; only kappa = 0 has it
    landau = th["d_star_landau"].sel(kappa=0.0, gamma=0.1).item()
    assert landau == pytest.approx(landau_self_diffusion_factor() * float(chapman_enskog_d_star(0.1, 0.0, order=1)))
    assert 1.0 < landau / th["d_star_ce"].sel(kappa=0.0, gamma=0.1).item() < 1.19  # CE2 lies between CE1 and Landau
    assert np.all(np.isnan(th["d_star_landau"].sel(kappa=2.0)))
    assert th["gamma_curve"].sel(kappa=2.0).values[-1] == pytest.approx(ce_gamma_max(2.0))
    assert th["gamma_curve"].sel(kappa=0.0).values[-1] == pytest.approx(0.2)


def test_weak_coupling_table_against_theory_and_the_paper():
    # kappa = 2, Gamma = 0.3 (README numbers): MD 29.2 +- 1.0, kinetic theory 29.4, paper's Eq. 2 33.8
    d = _diffusion([2.0], [0.3, 100.0], np.array([[29.2, 0.004]]), np.array([[1.0, 1e-4]]), np.array([[0.3, 99.0]]))
    t = weak_coupling_table(kinetic_theory(d, n_curve=3), d)
    assert len(t) == 1  # Gamma = 100 is not weak coupling
    row = t.iloc[0]
    assert row["d_star_ce"] == pytest.approx(29.39, abs=0.01)
    assert row["d_star_paper_model"] == pytest.approx(
        33.82, abs=0.01
    )  # sqrt(pi/3)/(0.236 0.3^2.5 ln(1 + 3.551/(sqrt3 0.3^1.5)))
    assert row["ratio_md_ce"] == pytest.approx(29.2 / 29.39, abs=1e-3) and row["ratio_md_ce_stderr"] == pytest.approx(
        1.0 / 29.39, abs=1e-4
    )
    # the MD agrees with kinetic theory within its error, and is 4 sigma below the paper's model
    assert abs(row["ratio_md_ce"] - 1) < row["ratio_md_ce_stderr"]
    assert (1 - row["ratio_md_paper"]) / row["ratio_md_paper_stderr"] > 4
