"""Time step and run lengths of one MD run, and the box (reduced units of :mod:`kineticflow.plasma.md`).

Reduced units throughout (plasma paper, Daligault PRL 108, 225004 (2012)): Wigner–Seitz radius
a = 1, mass m = 1, charge q = 1, so the number density is n = 3/(4π), k_B T = 1/Γ and the plasma
frequency is ω_p = √(4π n q²/m) = √3 per LAMMPS time unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: ω_p in LAMMPS time units for a = m = q = 1 (ω_p² = 4π n q²/m with n = 3/(4π)).
OMEGA_P = math.sqrt(3.0)


@dataclass(frozen=True)
class MDSchedule:
    """Time step and run lengths of one MD run (LAMMPS time units unless noted).

    Attributes
    ----------
    dt : float
        Time step, LAMMPS units (ω_p dt = √3 dt).
    n_equilibrate : int
        Steps with the thermostat.
    n_production : int
        NVE steps that are sampled.
    dump_every : int
        Steps between dumped frames.
    n_lags : int
        Number of correlation lags (frames) kept, including lag 0.
    tau_estimate_wp : float
        A-priori velocity relaxation time τ_v ω_p = 3 Γ D*_est used to size the run.
    """

    dt: float
    n_equilibrate: int
    n_production: int
    dump_every: int
    n_lags: int
    tau_estimate_wp: float


def box_length(n_particles: int) -> float:
    """Edge of the cubic box holding ``n_particles`` at n = 3/(4π a³), in units of a."""
    if n_particles < 2:
        raise ValueError(f"n_particles = {n_particles} must be >= 2")
    return (4.0 * math.pi * n_particles / 3.0) ** (1.0 / 3.0)


def pair_cutoff(kappa: float, md: Mapping[str, Any]) -> float:
    """Real-space cut-off r_c of the pair interaction, in units of a.

    r_c = min(``cutoff``, ``kappa_cutoff``/κ, L/2) for the Yukawa OCP (κ > 0): the screened
    potential is cut where e^{−κ r_c} = e^{−kappa_cutoff} is negligible (6e-6 for the default 12),
    so strongly screened runs (κ a = 4: r_c = 3 a) need ~8× fewer pairs than a fixed 6 a;
    r_c = min(``cutoff``, L/2) for the Coulomb OCP (κ = 0, where PPPM takes the long-range part).
    L is the box edge (:func:`box_length`); a cut-off beyond L/2 would see periodic images.

    Parameters
    ----------
    kappa : float
        Screening κ a ≥ 0.
    md : mapping
        The ``plasma.md`` config section (``cutoff``, ``kappa_cutoff``, ``n_particles``).

    Returns
    -------
    float
        r_c / a.

    Examples
    --------
    >>> pair_cutoff(4.0, {"cutoff": 6.0, "kappa_cutoff": 12.0, "n_particles": 1000})
    3.0
    >>> pair_cutoff(0.0, {"cutoff": 6.0, "kappa_cutoff": 12.0, "n_particles": 1000})
    6.0
    """
    rc = min(float(md["cutoff"]), 0.5 * box_length(int(md["n_particles"])))
    if kappa > 0:
        rc = min(rc, float(md["kappa_cutoff"]) / kappa)
    return rc


def md_schedule(gamma: float, md: Mapping[str, Any], d_estimate: float) -> MDSchedule:
    """Choose the time step and the run lengths of one run from the MD settings and a D* estimate.

    The step shrinks at weak coupling, where ions are fast and close collisions hard:
    ω_p dt = ``dt_wp`` · min(1, Γ)^``dt_gamma_power``. The production run lasts
    max(``production_min_wp`` · s, ``production_tau`` · τ_v) in 1/ω_p, s = dt(Γ)/dt(Γ ≥ 1)
    (minimum lengths are step counts; equilibration likewise ``equilibrate_wp`` · s), with the
    velocity relaxation time τ_v ω_p = 3 Γ D*_est from the caller's estimate (a sizing estimate
    only: :func:`kineticflow.plasma.ocp.md.ocp_schedule` takes it from the paper's models); the
    correlation window is max(``lag_min_wp``, ``lag_tau`` · τ_v), at most half the run.
    The equilibration also lasts at least ``equilibrate_diffusion_times`` · a²/(6 D) (the time
    to diffuse one ion-sphere radius, 1/(6 D*_est) in 1/ω_p): near Γ_m the liquid relaxes from
    the random start slowly (κ = 0, Γ = 175: ⟨U⟩ still falls until ~300/ω_p, and a 150/ω_p
    equilibration ran 3.5 % hot in NVE).

    Parameters
    ----------
    gamma : float
        Coupling Γ > 0.
    md : mapping
        MD settings with the keys of the ``plasma.md`` config section.
    d_estimate : float
        Estimated D* = D/(a² ω_p) > 0 at this state point.

    Returns
    -------
    MDSchedule

    Raises
    ------
    ValueError
        If Γ ≤ 0.
    """
    if gamma <= 0:
        raise ValueError(f"gamma = {gamma} must be > 0")
    dt_wp = md["dt_wp"] * min(1.0, gamma) ** md["dt_gamma_power"]
    dt = dt_wp / OMEGA_P
    d_est = d_estimate
    tau_wp = 3.0 * gamma * d_est
    # minimum lengths are given at Γ ≥ 1 and kept as step counts below (smaller steps)
    scale = dt_wp / md["dt_wp"]
    prod_wp = max(md["production_min_wp"] * scale, md["production_tau"] * tau_wp)
    lag_wp = min(prod_wp / 2.0, max(md["lag_min_wp"], md["lag_tau"] * tau_wp))
    # sample the trajectory finely enough for the VACF: ≤ sample_wp and ≤ τ_v/10
    sample_wp = min(md["sample_wp"], tau_wp / 10.0)
    dump_every = max(1, int(round(sample_wp / dt_wp)))
    n_prod = int(math.ceil(prod_wp / dt_wp / dump_every)) * dump_every
    eq_wp = max(md["equilibrate_wp"] * scale, md["equilibrate_diffusion_times"] / (6.0 * d_est))
    n_eq = 20 * int(math.ceil(eq_wp / dt_wp / 20))  # multiple of 20 (energy average)
    n_lags = int(round(lag_wp / (dt_wp * dump_every))) + 1
    return MDSchedule(dt, n_eq, n_prod, dump_every, n_lags, tau_wp)
