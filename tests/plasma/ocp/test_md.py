"""Tiny LAMMPS runs (N = 100): OCP equation of state, temperature, energy conservation, D* > 0."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TINY_MD

from kineticflow.plasma.md import MDQualityError, box_length, pair_cutoff
from kineticflow.plasma.ocp.diffusion import d_star_from_md
from kineticflow.plasma.ocp.md import lammps_input, ocp_schedule, simulate_md
from kineticflow.plasma.ocp.reference import estimate_d_star

pytestmark = pytest.mark.md

MD = dict(TINY_MD)


def ocp_excess_energy(gamma: float) -> float:
    """U_ex/(N k_B T) of the OCP fluid, Slattery, Doolen & DeWitt, PRA 26, 2255 (1982), Γ ≥ 1."""
    return -0.897744 * gamma + 0.95043 * gamma**0.25 + 0.18956 * gamma**-0.25 - 0.81487


def test_box_and_schedule():
    assert box_length(1000) == pytest.approx((4000 * np.pi / 3) ** (1 / 3))
    s_weak, s_strong = ocp_schedule(0.1, 0.0, MD), ocp_schedule(10.0, 0.0, MD)
    assert s_weak.dt == pytest.approx(s_strong.dt * 0.1)  # dt ∝ Γ below Γ = 1
    assert s_weak.tau_estimate_wp == pytest.approx(3 * 0.1 * estimate_d_star(0.1, 0.0))
    # near melting the equilibration lasts equilibrate_diffusion_times diffusion times a²/(6D)
    slow = dict(MD, equilibrate_diffusion_times=6.0)
    eq_wp = {g: ocp_schedule(g, 0.0, slow).n_equilibrate * s_strong.dt * np.sqrt(3.0) for g in (10.0, 175.0)}
    assert eq_wp[10.0] == pytest.approx(MD["equilibrate_wp"], abs=1.0)  # 1/D*(10) ≈ 10 < 100
    assert eq_wp[175.0] == pytest.approx(1.0 / estimate_d_star(175.0, 0.0), abs=1.0)  # ≈ 484/ω_p
    text = lammps_input(gamma=2.0, kappa=0.0, seed=7, n_particles=100, schedule=s_strong, md=MD)
    assert "kspace_style    pppm 0.0001" in text and "fix             integrate all nve" in text
    assert "pair_style      yukawa" in lammps_input(
        gamma=2.0, kappa=2.0, seed=7, n_particles=100, schedule=s_strong, md=MD
    )


def test_yukawa_cutoff_follows_the_screening_length():
    # r_c = min(cutoff, kappa_cutoff/κ, L/2): the neglected pair energy e^{−κ r_c}/r_c stays below
    # e^{−12}/r_c ≈ 2e-6 q²/a for every κ; the Coulomb OCP keeps the full real-space cut-off
    md = dict(MD, n_particles=1000)
    assert pair_cutoff(4.0, md) == 3.0 and pair_cutoff(2.0, md) == 6.0 and pair_cutoff(0.0, md) == 6.0
    assert pair_cutoff(1.0, md) == 6.0  # cutoff wins: κ r_c = 6
    assert pair_cutoff(0.5, dict(md, cutoff=20.0)) == pytest.approx(0.5 * box_length(1000))  # half the box
    for kappa in (1.0, 2.0, 4.0):
        rc = pair_cutoff(kappa, dict(md, cutoff=50.0, n_particles=10**6))
        assert np.exp(-kappa * rc) / rc == pytest.approx(np.exp(-12.0) / rc)
    s = ocp_schedule(2.0, 4.0, md)
    text = lammps_input(gamma=2.0, kappa=4.0, seed=7, n_particles=1000, schedule=s, md=md)
    assert "pair_style      yukawa ${kappa} 3\n" in text
    assert "pair_modify     shift yes" in text  # default: shifted to 0 at r_c
    truncated = lammps_input(gamma=2.0, kappa=4.0, seed=7, n_particles=1000, schedule=s, md=dict(md, pair_shift=False))
    assert "pair_modify" not in truncated and "pair_style      yukawa ${kappa} 3\n" in truncated


def test_ocp_energy_matches_equation_of_state(tmp_path):
    # PPPM + LAMMPS's neutralising background: potential energy per ion = u_ex(Γ)/Γ in q²/a
    ds = simulate_md(0.0, 10.0, 11, MD, threads=1, workdir=tmp_path)
    pe = float(ds["potential_energy"].mean())
    assert pe == pytest.approx(ocp_excess_energy(10.0) / 10.0, rel=0.02)  # −0.7996
    assert float(ds["temperature_mean"]) == pytest.approx(0.1, rel=0.1)  # N = 100: ~3 % fluctuations


def test_tiny_run_conserves_energy_and_gives_positive_d_star(tmp_path):
    ds = simulate_md(0.0, 2.0, 3, MD, threads=1, workdir=tmp_path)
    assert float(ds["temperature_mean"]) == pytest.approx(0.5, rel=0.1)
    assert float(ds["energy_drift"]) < 0.01
    assert ds["vacf"].values[0] == pytest.approx(3 * float(ds["temperature_mean"]) / 3, rel=0.02)  # 3kT/m in (a ω_p)²
    r = d_star_from_md(ds)
    assert np.isfinite(r["d_star"]) and r["d_star"] > 0 and r["d_star_stderr"] > 0
    assert 0.5 < r["d_star"] / estimate_d_star(2.0, 0.0) < 2.0  # N = 100, short: only the magnitude
    assert ds.attrs["seed"] == 3 and "pppm" in ds.attrs["lammps_input"]


def test_yukawa_run(tmp_path):
    ds = simulate_md(2.0, 100.0, 5, MD, threads=1, workdir=tmp_path)
    assert float(ds["energy_drift"]) < 0.02
    assert d_star_from_md(ds)["d_star"] > 0


def test_energy_drift_limit_fails_the_run(tmp_path):
    bad = dict(MD, max_energy_drift=1e-12, production_min_wp=10.0, equilibrate_wp=10.0)
    with pytest.raises(MDQualityError, match="energy drift"):
        simulate_md(0.0, 2.0, 3, bad, threads=1, workdir=tmp_path)
