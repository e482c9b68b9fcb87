"""Binary ionic mixtures (BIM): per-species self-diffusion and the mixing rule (plasma paper Eqs 5–6, Table II).

Daligault, PRL 108, 225004 (2012). Two ionic species j = 1, 2 (charge Z_j e, mass m_j, number
fraction x_j, total density n = n₁ + n₂) in a uniform neutralising background.

Reduced units (LAMMPS ``units lj``, as in :mod:`kineticflow.plasma.md`)
-----------------------------------------------------------------
* length: the Wigner–Seitz radius of the mixture, a = (3/(4π n))^{1/3} = 1, so n a³ = 3/(4π);
* charge: e = 1 (the charges are Z₁ and Z₂; Z₁ = 1 in all shipped configs);
* mass: the unit in which m₁, m₂ are given (m₁ = 1 in all shipped configs);
* energy: e²/a, so k_B T = ⟨Z^{5/3}⟩/Γ with the BIM coupling Γ = ⟨Z^{5/3}⟩ e²/(a k_B T)
  (⟨·⟩ = number-weighted average);
* time: τ = √(m a²/e²); the species-1 plasma frequency is ω_{p,1} = √(4π n_e Z₁ e²/m₁)
  = √(3 ⟨Z⟩ Z₁/m₁) per τ (n_e = ⟨Z⟩ n), i.e. ω_{p,1} = √3 for Z₁ = Z₂ = m₁ = 1.

Diffusion coefficients are reported, as in Table II, in units of a₁² ω_{p,1}, where a₁ and
ω_{p,1} are those of a pure species-1 plasma at the same electron density (n₁' = n_e/Z₁):
a₁ = (Z₁/⟨Z⟩)^{1/3} a and ω_{p,1} as above. For isotopic mixtures (Z₁ = Z₂, the Table II case)
a₁ = a and ω_{p,1} = √3 — the OCP units of :mod:`kineticflow.plasma.md` — "independent of m₂ and x₂".
(For Z₁ ≠ Z₂ the paper does not define a₁, ω_{p,1}; this is our convention.) Eq. (6) is written
by the paper in units of a² ω_p with the mixture plasma frequency ω_p = √(4π n ⟨Z⟩² e²/⟨m⟩)
= √(3 ⟨Z⟩²/⟨m⟩); :func:`units_factor` converts.

Collision frequency (Eq. 5 and the Chapman–Spitzer D₁₂)
------------------------------------------------------
The paper prints ν₀ = (4/3) n √(2π) √(μ/⟨m⟩) (⟨m⟩²/(m₁m₂)) q₁²q₂²/(k_BT)^{3/2} (μ = m₁m₂/(m₁+m₂)),
which lacks a factor 1/√⟨m⟩ to be a frequency (it reads as if ⟨m⟩ = 1). The Chapman–Cowling
first approximation for Coulomb collisions, [D₁₂]₁ = 3 k_BT/(16 n μ Ω₁₂^{(1,1)}) with
Ω₁₂^{(1,1)} = ½ √(π/(2μ)) q₁²q₂² ln Λ/(k_BT)^{3/2}, gives
D₁₂ = 3 (k_BT)^{5/2}/(4 √(2π) n √μ q₁²q₂² ln Λ) and, with D₁₂ = (⟨m⟩/(m₁m₂)) k_BT/ν₁₂,

    ν₀ = (4/3) √(2π) n (⟨m⟩ √μ/(m₁ m₂)) q₁² q₂²/(k_B T)^{3/2},

which reduces to the OCP ν₀ = (4/3) √(π/m) n q⁴/(k_BT)^{3/2} of Eq. (2) for m₁ = m₂, q₁ = q₂.
In reduced units (n = 3/(4π)): ν₀ = √(2/π) ⟨m⟩ √μ Z₁²Z₂²/(m₁ m₂ (k_BT)^{3/2}).
The CS interdiffusion coefficient uses ln Λ_CS = ln(C λ_D/r_c), C = 4 (Chapman), with
λ_D = √(k_BT/(4π n ⟨Z²⟩ e²)) and r_c = Z₁Z₂e²/(k_BT): λ_D/r_c = (k_BT)^{3/2}/(√(3⟨Z²⟩) Z₁Z₂).
Eq. (5): D_j = k_BT/(m_j α_j ν₀ ln(1 + C'_j/Γ^{3/2})), with C'_j = C_j Γ^{3/2} λ_D/r_c
= C_j ⟨Z^{5/3}⟩^{3/2}/(√(3⟨Z²⟩) Z₁Z₂) (= C_j/√3 for the OCP: Eq. 2).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from kineticflow.core.data import read_csv

from kineticflow.plasma.diffusion import DiffusionError, green_kubo_diffusion
from kineticflow.core.io import with_attrs
from kineticflow.plasma.md import (
    MDError,
    MDQualityError,
    MDSchedule,
    box_length,
    check_run_quality,
    equilibrate_and_sample,
    md_schedule,
    parse_thermo,
    particle_groups,
    performance,
    read_dump,
    run_lammps,
    vacf,
)

#: Table II of the plasma paper (impurity D₂ in isotopic BIMs, units a₁² ω_{p,1}).
TABLE2 = "daligault2012_table2.csv"  # package data, kineticflow/plasma/data


@dataclass(frozen=True)
class Mixture:
    """One binary ionic mixture: charges Z_j (units of e), masses m_j, number fraction x₂ of species 2."""

    name: str
    z1: float
    z2: float
    m1: float
    m2: float
    x2: float

    def __post_init__(self) -> None:
        for key in ("z1", "z2", "m1", "m2"):
            if not getattr(self, key) > 0:
                raise ValueError(f"mixture '{self.name}': {key} = {getattr(self, key)} must be > 0")
        if not 0 < self.x2 < 1:
            raise ValueError(f"mixture '{self.name}': x2 = {self.x2} must be in (0, 1)")

    @classmethod
    def from_config(cls, entry: Mapping[str, Any]) -> Mixture:
        """Build from a ``mixtures.mixtures[i]`` config entry (keys name, z1, z2, m1, m2, x2)."""
        return cls(str(entry["name"]), *(float(entry[k]) for k in ("z1", "z2", "m1", "m2", "x2")))

    @property
    def x1(self) -> float:
        return 1.0 - self.x2

    @property
    def m_mean(self) -> float:
        """⟨m⟩ = x₁m₁ + x₂m₂."""
        return self.x1 * self.m1 + self.x2 * self.m2

    @property
    def mu(self) -> float:
        """Reduced mass μ = m₁m₂/(m₁ + m₂)."""
        return self.m1 * self.m2 / (self.m1 + self.m2)

    @property
    def isotopic(self) -> bool:
        return self.z1 == self.z2

    def attrs(self) -> dict[str, Any]:
        return {"mixture": self.name, "z1": self.z1, "z2": self.z2, "m1": self.m1, "m2": self.m2, "x2": self.x2}


def mixture_coupling(z1: float, z2: float, x2: float) -> dict[str, float]:
    """Number-weighted charge moments of a BIM.

    Returns
    -------
    dict
        ``z53`` = ⟨Z^{5/3}⟩ (Γ = ⟨Z^{5/3}⟩ e²/(a k_BT)), ``z`` = ⟨Z⟩, ``z2`` = ⟨Z²⟩.
    """
    if not 0 <= x2 <= 1:
        raise ValueError(f"x2 = {x2} must be in [0, 1]")
    x1 = 1.0 - x2
    return {
        "z53": x1 * z1 ** (5 / 3) + x2 * z2 ** (5 / 3),
        "z": x1 * z1 + x2 * z2,
        "z2": x1 * z1**2 + x2 * z2**2,
    }


def temperature(mix: Mixture, gamma: float) -> float:
    """k_B T = ⟨Z^{5/3}⟩/Γ in reduced units (e²/a)."""
    if not gamma > 0:
        raise ValueError(f"gamma = {gamma} must be > 0")
    return mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / gamma


def units_factor(mix: Mixture) -> dict[str, float]:
    """The reduced-unit scales of a mixture, in LAMMPS units (a = e = 1, masses as given).

    Returns
    -------
    dict
        ``a1`` = (Z₁/⟨Z⟩)^{1/3}, ``omega_p1`` = √(3⟨Z⟩Z₁/m₁), ``omega_p`` = √(3⟨Z⟩²/⟨m⟩) (mixture,
        Eq. 6), ``d_unit`` = a₁² ω_{p,1} (Table II unit of D), ``to_mixture_units`` = a₁²ω_{p,1}/(a²ω_p)
        (multiply a D in a₁²ω_{p,1} by this to get it in a²ω_p).
    """
    c = mixture_coupling(mix.z1, mix.z2, mix.x2)
    a1 = (mix.z1 / c["z"]) ** (1 / 3)
    wp1 = math.sqrt(3.0 * c["z"] * mix.z1 / mix.m1)
    wp = math.sqrt(3.0 * c["z"] ** 2 / mix.m_mean)
    return {"a1": a1, "omega_p1": wp1, "omega_p": wp, "d_unit": a1**2 * wp1, "to_mixture_units": a1**2 * wp1 / wp}


def interdiffusion_d12(d1: npt.ArrayLike, d2: npt.ArrayLike, x2: float) -> np.ndarray:
    """Mixing rule for the interdiffusion coefficient, D₁₂ = x₂ D₁ + x₁ D₂ (paper, after Eq. 6)."""
    if not 0 <= x2 <= 1:
        raise ValueError(f"x2 = {x2} must be in [0, 1]")
    return x2 * np.asarray(d1, float) + (1.0 - x2) * np.asarray(d2, float)


def nu0(mix: Mixture, gamma: npt.ArrayLike) -> np.ndarray:
    """Reference collision frequency ν₀ (per LAMMPS time unit), see the module docstring.

    ν₀ = √(2/π) ⟨m⟩ √μ Z₁²Z₂²/(m₁ m₂ (k_BT)^{3/2}) with k_BT = ⟨Z^{5/3}⟩/Γ.
    """
    g = np.asarray(gamma, float)
    kt = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / g
    return math.sqrt(2.0 / math.pi) * mix.m_mean * math.sqrt(mix.mu) * mix.z1**2 * mix.z2**2 / (mix.m1 * mix.m2 * kt**1.5)


def debye_over_rc(mix: Mixture, gamma: npt.ArrayLike) -> np.ndarray:
    """λ_D/r_c = (k_BT)^{3/2}/(√(3⟨Z²⟩) Z₁Z₂) (λ_D = √(k_BT/(4πn⟨Z²⟩e²)), r_c = Z₁Z₂e²/k_BT)."""
    c = mixture_coupling(mix.z1, mix.z2, mix.x2)
    kt = c["z53"] / np.asarray(gamma, float)
    return kt**1.5 / (math.sqrt(3.0 * c["z2"]) * mix.z1 * mix.z2)


def chapman_spitzer_d12(mix: Mixture, gamma: npt.ArrayLike, c: float = 4.0) -> np.ndarray:
    """Chapman–Spitzer interdiffusion coefficient D₁₂ in units of a₁² ω_{p,1}.

    D₁₂ = (⟨m⟩/(m₁m₂)) k_BT/ν₁₂ with ν₁₂ = ν₀ ln(C λ_D/r_c), C = 4 (paper; Chapman's
    calculation), ν₀ as in the module docstring. Closed form in reduced units:
    D₁₂ = (k_BT)^{5/2}/(√(2/π) √μ Z₁²Z₂² ln(C λ_D/r_c)) / (a₁² ω_{p,1}); for Z₁ = Z₂ = m₁ = m₂ = 1
    this is √(π/3)/(Γ^{5/2} ln(C/(√3 Γ^{3/2}))), the plain CS limit of Eq. (2) with α = 1.

    Returns
    -------
    ndarray
        D₁₂; NaN where ln(C λ_D/r_c) ≤ 0 (CS meaningless, Γ too large).
    """
    g = np.asarray(gamma, float)
    if np.any(~(g > 0)):
        raise ValueError("gamma must be > 0")
    kt = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / g
    lnl = np.log(c * debye_over_rc(mix, g))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = mix.m_mean / (mix.m1 * mix.m2) * kt / (nu0(mix, g) * lnl)
    return np.where(lnl > 0, d / units_factor(mix)["d_unit"], np.nan)


def eq5_d_star(gamma: npt.ArrayLike, alpha: float, c_prime: float, mix: Mixture, species: int) -> np.ndarray:
    """Generalised Chapman–Spitzer self-diffusion of species j (Eq. 5), in units of a₁² ω_{p,1}.

    D_j = k_BT/(m_j α_j ν₀ ln(1 + C'_j/Γ^{3/2})).
    """
    g = np.asarray(gamma, float)
    kt = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / g
    mj = mix.m1 if species == 1 else mix.m2
    d = kt / (mj * alpha * nu0(mix, g) * np.log1p(c_prime / g**1.5))
    return d / units_factor(mix)["d_unit"]


def eq6_d_star(gamma: npt.ArrayLike, a: float, b: float) -> np.ndarray:
    """Eyring (cage) self-diffusion, Eq. (6): D_j/(a² ω_p) = (A_j/Γ) exp(−B_j Γ) (mixture ω_p)."""
    g = np.asarray(gamma, float)
    return a / g * np.exp(-b * g)


def species_counts(n_particles: int, x2: float) -> tuple[int, int]:
    """(N₁, N₂) with N₂ = round(N x₂); each ≥ 1.

    Raises
    ------
    ValueError
        If either species would be empty.
    """
    n2 = int(round(n_particles * x2))
    n1 = n_particles - n2
    if n2 < 1 or n1 < 1:
        raise ValueError(f"n_particles = {n_particles} with x2 = {x2} gives N1 = {n1}, N2 = {n2}; need >= 1 of each")
    return n1, n2


def mixture_schedule(mix: Mixture, gamma: float, md: Mapping[str, Any]) -> MDSchedule:
    """Time step and run lengths: :func:`kineticflow.plasma.md.md_schedule` adapted to two species.

    The velocity relaxation time of species j, τ_j = m_j D_j/k_BT, grows with its mass: the
    production run and the correlation window are lengthened by f = max(m₁, m₂)/m₁ (D_j ≈ D_OCP
    for sizing), while sampling stays fine enough for species 1. The step is shortened by
    min(1, min_j √(m_j/m₁) Z₁/Z_j) for light or highly charged species. Times are in the OCP
    unit 1/√3 of :mod:`kineticflow.plasma.md` (= 1/ω_{p,1} for isotopic mixtures with Z₁ = m₁ = 1).
    """
    f = max(mix.m1, mix.m2) / mix.m1
    s = min(1.0, min(math.sqrt(m / mix.m1) * mix.z1 / z for m, z in ((mix.m1, mix.z1), (mix.m2, mix.z2))))
    eff = dict(md)
    eff["dt_wp"] = md["dt_wp"] * s
    eff["production_tau"] = md["production_tau"] * f
    eff["lag_tau"] = md["lag_tau"] * f
    eff["production_min_wp"] = md["production_min_wp"] * s  # keep the minimum as a step count
    return md_schedule(gamma, 0.0, eff)


def mixture_lammps_input(
    *,
    mix: Mixture,
    gamma: float,
    seed: int,
    n_particles: int,
    schedule: MDSchedule,
    md: Mapping[str, Any],
    vel_file: str = "vel.bin",
) -> str:
    """LAMMPS input of one BIM run (Coulomb, κ = 0: ``coul/long`` + ``pppm``, neutralising background).

    Atom type j is species j, with ``mass j m_j`` and charge Z_j; species 1 gets ids 1..N₁ and
    species 2 ids N₁+1..N (two ``create_atoms random`` commands, exact counts). Langevin
    equilibration at k_BT = ⟨Z^{5/3}⟩/Γ, rescale to the canonical mean energy, NVE production
    with a velocity dump ``id vx vy vz`` every ``dump_every`` steps (as :func:`kineticflow.plasma.md.lammps_input`;
    binary if ``vel_file`` ends in ``.bin``).
    """
    n1, n2 = species_counts(n_particles, mix.x2)
    kt = temperature(mix, gamma)
    L = box_length(n_particles)
    rc = min(md["cutoff"], 0.5 * L)
    c = mixture_coupling(mix.z1, mix.z2, mix.x2)
    return f"""# kineticflow: binary ionic mixture '{mix.name}', Gamma = {gamma:g}, seed = {seed}
# Daligault, PRL 108, 225004 (2012), Eqs 5-6. Reduced units: a = 1 (Wigner-Seitz radius of the
# mixture, n = 3/(4 pi)), e = 1, masses as given (m1 = {mix.m1:g}), k_B T = <Z^5/3>/Gamma,
# <Z^5/3> = {c['z53']:.6g}; species 1: Z = {mix.z1:g}, m = {mix.m1:g}, N1 = {n1}; species 2: Z = {mix.z2:g}, m = {mix.m2:g}, N2 = {n2}.
# Rerun by hand:  mpirun -np 2 lmp -in <this file>
units           lj
atom_style      charge
boundary        p p p
atom_modify     map array

variable        N      equal {n_particles}
variable        Gamma  equal {gamma:.10g}
variable        T      equal {kt:.12g}
variable        L      equal (4.0*PI*v_N/3.0)^(1.0/3.0)
variable        seed   equal {seed}

region          box block 0 ${{L}} 0 ${{L}} 0 ${{L}}
create_box      2 box
create_atoms    1 random {n1} ${{seed}} box overlap {md["overlap"]:g} maxtry 200
create_atoms    2 random {n2} {seed + 7919} box overlap {md["overlap"]:g} maxtry 200
mass            1 {mix.m1:.10g}
mass            2 {mix.m2:.10g}
set             type 1 charge {mix.z1:.10g}
set             type 2 charge {mix.z2:.10g}

# Coulomb BIM: real-space Ewald part + PPPM; LAMMPS adds the uniform neutralising background.
pair_style      coul/long {rc:.6g}
pair_coeff      * *
kspace_style    pppm {md['pppm_accuracy']:g}
{equilibrate_and_sample(schedule, md)}# (a file name ending in .bin: LAMMPS binary dump, read by kineticflow.plasma.md.read_dump)
dump            vel all custom {schedule.dump_every} {vel_file} id vx vy vz
{"" if vel_file.endswith(".bin") else "dump_modify     vel format float %.8g" + chr(10)}run             {schedule.n_production}
"""


def _block_vacf(v: np.ndarray, n_lags: int, n_blocks: int, rng: np.random.Generator, workers: int) -> tuple[np.ndarray, np.ndarray]:
    """VACF of one species (mean, shape (lag,)) and of disjoint random particle groups (block, lag)."""
    n = v.shape[1]
    groups = particle_groups(n, max(2, n_blocks), rng)
    blocks = vacf(v, n_lags, groups, workers=workers).T
    return np.array([len(g) for g in groups]) / n @ blocks, blocks


def _gk_with_error(c: np.ndarray, blocks: np.ndarray, lag: np.ndarray, tail: bool) -> tuple[float, float]:
    d = green_kubo_diffusion(c, lag, tail)
    db = []
    for b in blocks:
        try:
            db.append(green_kubo_diffusion(b, lag, tail))
        except DiffusionError:
            db.append(green_kubo_diffusion(b, lag, False))
    db = np.asarray(db)
    return float(d), float(np.std(db, ddof=1) / np.sqrt(db.size))


def simulate_mixture(
    mix: Mixture,
    gamma: float,
    seed: int,
    md: Mapping[str, Any],
    threads: int = 1,
    workdir: str | os.PathLike[str] | None = None,
    tail_correction: bool = True,
) -> xr.Dataset:
    """Run one BIM simulation with LAMMPS and return per-species VACFs and self-diffusion.

    Parameters
    ----------
    mix : Mixture
        Charges, masses and x₂.
    gamma : float
        BIM coupling Γ = ⟨Z^{5/3}⟩e²/(a k_BT) > 0.
    seed : int
        LAMMPS seed.
    md : mapping
        MD settings with the keys of the ``plasma.md`` config section (``mixtures.md``
        overrides merged over ``plasma.md``).
    threads : int
        MPI ranks.
    workdir : path, optional
        Folder for the temporary LAMMPS files.
    tail_correction : bool
        Exponential tail of the Green–Kubo integral (:func:`kineticflow.plasma.diffusion.green_kubo_diffusion`).

    Returns
    -------
    xarray.Dataset
        ``vacf_1(lag)``, ``vacf_2(lag)`` [(a₁ω_{p,1})²], ``vacf_1_block``/``vacf_2_block(block, lag)``;
        scalars ``d_1``, ``d_2`` (Green–Kubo, units a₁²ω_{p,1}), ``d_1_err``, ``d_2_err`` (standard
        errors over disjoint particle groups), ``d_12`` = x₂D₁ + x₁D₂ and ``d_12_err``,
        ``temperature_1``, ``temperature_2`` (per-species kinetic temperature, e²/a),
        ``temperature_mean``, ``gamma_measured`` = ⟨Z^{5/3}⟩/⟨k_BT⟩, ``energy_drift`` [k_BT per
        particle], ``n_lost``; thermo series ``temperature(t)``, ``total_energy(t)``,
        ``potential_energy(t)``. ``lag`` and ``t`` in 1/ω_{p,1}.

    Raises
    ------
    MDError
        LAMMPS missing or failing.
    MDQualityError
        Energy drift, lost atoms or temperature beyond the ``md`` limits (as :func:`kineticflow.plasma.md.simulate_md`).
    """
    n = int(md["n_particles"])
    n1, n2 = species_counts(n, mix.x2)
    sched = mixture_schedule(mix, gamma, md)
    text = mixture_lammps_input(mix=mix, gamma=gamma, seed=seed, n_particles=n, schedule=sched, md=md)
    base = Path(workdir) if workdir is not None else None
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lammps-bim-", dir=base) as tmp:
        log, wall = run_lammps(text, tmp, threads)
        vel = read_dump(Path(tmp) / "vel.bin", n)
    thermo = parse_thermo(log)
    if len(thermo) < 2:
        raise MDError("LAMMPS log holds fewer than two thermo tables (equilibration, production)")
    prod = thermo[-1]
    kt = temperature(mix, gamma)
    u = units_factor(mix)
    where = f"mixture {mix.name}, Gamma = {gamma:g}, seed = {seed}"
    drift, n_lost, T_mean = check_run_quality(prod, n, kt, u["omega_p1"], md, where, section="mixtures.md")
    t_w = prod["Time"] * u["omega_p1"]
    n_lags = min(sched.n_lags, vel.shape[0])
    v = vel / (u["a1"] * u["omega_p1"])  # a₁ ω_{p,1}
    temp1 = float(mix.m1 * (vel[:, :n1] ** 2).sum(axis=-1).mean() / 3.0)
    temp2 = float(mix.m2 * (vel[:, n1:] ** 2).sum(axis=-1).mean() / 3.0)
    rng = np.random.default_rng(seed)
    c1, b1 = _block_vacf(v[:, :n1], n_lags, int(md["n_blocks"]), rng, threads)
    c2, b2 = _block_vacf(v[:, n1:], n_lags, int(md["n_blocks"]), rng, threads)
    lag = np.arange(n_lags) * sched.dt * sched.dump_every * u["omega_p1"]
    d1, e1 = _gk_with_error(c1, b1, lag, tail_correction)
    d2, e2 = _gk_with_error(c2, b2, lag, tail_correction)
    if not (d1 > 0 and d2 > 0):
        raise DiffusionError(f"MD run {where}: non-positive Green-Kubo D1 = {d1:g}, D2 = {d2:g}")
    d12 = float(interdiffusion_d12(d1, d2, mix.x2))
    e12 = float(math.hypot(mix.x2 * e1, mix.x1 * e2))

    def block(arr: np.ndarray, j: int) -> xr.DataArray:
        return with_attrs(xr.DataArray(arr, dims=(f"block_{j}", "lag")), "a1^2 omega_p1^2", f"VACF of disjoint groups of species {j}")

    def scalar(x: float, units: str, long: str) -> xr.DataArray:
        return with_attrs(xr.DataArray(x), units, long)

    du = "a1^2 omega_p1"
    ds = xr.Dataset(
        {
            "vacf_1": with_attrs(xr.DataArray(c1, dims="lag"), "a1^2 omega_p1^2", "VACF <v(t).v(0)> of species 1"),
            "vacf_2": with_attrs(xr.DataArray(c2, dims="lag"), "a1^2 omega_p1^2", "VACF <v(t).v(0)> of species 2"),
            "vacf_1_block": block(b1, 1),
            "vacf_2_block": block(b2, 2),
            "d_1": scalar(d1, du, "Green-Kubo self-diffusion coefficient of species 1"),
            "d_1_err": scalar(e1, du, "standard error of D1 over particle groups"),
            "d_2": scalar(d2, du, "Green-Kubo self-diffusion coefficient of species 2"),
            "d_2_err": scalar(e2, du, "standard error of D2 over particle groups"),
            "d_12": scalar(d12, du, "interdiffusion coefficient D12 = x2 D1 + x1 D2 (mixing rule)"),
            "d_12_err": scalar(e12, du, "standard error of D12"),
            "d_12_cs": scalar(float(chapman_spitzer_d12(mix, gamma)), du,
                              "Chapman-Spitzer D12, ln(4 lambda_D/r_c) (NaN if the log is <= 0)"),
            "temperature": with_attrs(xr.DataArray(prod["Temp"], dims="t"), "e^2/(a k_B)", "instantaneous temperature k_B T"),
            "potential_energy": with_attrs(xr.DataArray(prod["PotEng"], dims="t"), "e^2/a", "potential energy per particle (with background)"),
            "total_energy": with_attrs(xr.DataArray(prod["TotEng"], dims="t"), "e^2/a", "total energy per particle"),
            "temperature_1": scalar(temp1, "e^2/(a k_B)", "kinetic temperature m1 <v^2>/3 of species 1"),
            "temperature_2": scalar(temp2, "e^2/(a k_B)", "kinetic temperature m2 <v^2>/3 of species 2"),
            "temperature_mean": scalar(T_mean, "e^2/(a k_B)", "mean temperature over the NVE run"),
            "gamma_measured": scalar(mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / T_mean, "1",
                                     "coupling <Z^5/3>/<k_B T> from the mean NVE temperature"),
            "energy_drift": scalar(drift, "k_B T per particle", "total-energy drift over the NVE run"),
            "n_lost": scalar(n_lost, "1", "atoms lost"),
        },
        coords={
            "lag": with_attrs(xr.DataArray(lag, dims="lag"), "1/omega_p1", "correlation lag t omega_p1"),
            "t": with_attrs(xr.DataArray(t_w, dims="t"), "1/omega_p1", "time of the NVE run t omega_p1"),
        },
    )
    ds.attrs.update(mix.attrs())
    ds.attrs.update(
        {
            "gamma": float(gamma),
            "seed": int(seed),
            "n_particles": n,
            "n_1": n1,
            "n_2": n2,
            "threads": int(threads),
            "a1": u["a1"],
            "omega_p1": u["omega_p1"],
            "omega_p": u["omega_p"],
            "dt": sched.dt,
            "n_equilibrate": sched.n_equilibrate,
            "n_production": sched.n_production,
            "dump_every": sched.dump_every,
            "production_wp1": sched.n_production * sched.dt * u["omega_p1"],
            "wall_seconds": wall,
            "atom_steps_per_second": performance(log),
            "units": "D in a1^2 omega_p1 (Table II); a = 1, e = 1, m1 as given, k_B T = <Z^5/3>/Gamma",
            "lammps_input": text,
            "lammps_log": log,
        }
    )
    return ds


def mixture_runs(cfg: Mapping[str, Any]) -> list[tuple[Mixture, float]]:
    """(mixture, Γ) pairs of the ``mixtures`` config: each entry's ``gammas`` or the section's."""
    out = []
    for entry in cfg["mixtures"]:
        mix = Mixture.from_config(entry)
        for g in entry.get("gammas") or cfg["gammas"]:
            out.append((mix, float(g)))
    return out


def md_settings(mixtures_md: Mapping[str, Any], plasma_md: Mapping[str, Any]) -> dict[str, Any]:
    """MD settings of the mixtures: ``mixtures.md`` (overrides) merged over ``plasma.md``."""
    return {**dict(plasma_md), **{k: v for k, v in dict(mixtures_md).items() if v is not None}}


DIFF_VARS = {
    "d_1": "self-diffusion coefficient D1 of species 1 (Green-Kubo)",
    "d_1_err": "standard error of D1",
    "d_2": "self-diffusion coefficient D2 of species 2 (Green-Kubo)",
    "d_2_err": "standard error of D2",
    "d_12": "interdiffusion D12 = x2 D1 + x1 D2",
    "d_12_err": "standard error of D12",
    "d_12_cs": "Chapman-Spitzer D12 with ln(4 lambda_D/r_c)",
}


def collect_mixture_diffusion(runs: Sequence[xr.Dataset]) -> xr.Dataset:
    """D₁, D₂, D₁₂(mixture, Γ) from all runs; seeds combined as :func:`kineticflow.plasma.diffusion.collect_diffusion`.

    Returns
    -------
    xarray.Dataset
        ``d_1``, ``d_1_err``, ``d_2``, ``d_2_err``, ``d_12``, ``d_12_err``, ``d_12_cs`` (units a₁²ω_{p,1}),
        ``d_12_over_cs``, ``gamma_measured``, ``energy_drift``, ``n_seeds`` on (mixture, gamma), NaN
        where not simulated; per mixture the coordinates ``z1``, ``z2``, ``m1``, ``m2``, ``x2`` and
        ``to_mixture_units`` = a₁²ω_{p,1}/(a²ω_p).
    """
    per: dict[tuple[str, float], list[xr.Dataset]] = {}
    mixes: dict[str, Mixture] = {}
    for ds in runs:
        a = ds.attrs
        mixes[a["mixture"]] = Mixture(a["mixture"], *(float(a[k]) for k in ("z1", "z2", "m1", "m2", "x2")))
        per.setdefault((a["mixture"], float(a["gamma"])), []).append(ds)
    names = sorted(mixes)
    gammas = sorted({g for _, g in per})
    shape = (len(names), len(gammas))
    out = {k: np.full(shape, np.nan) for k in [*DIFF_VARS, "gamma_measured", "energy_drift", "n_seeds"]}
    for (name, g), rs in per.items():
        i, j = names.index(name), gammas.index(g)
        for sp in ("d_1", "d_2", "d_12"):
            vals = np.array([float(r[sp]) for r in rs])
            out[sp][i, j] = vals.mean()
            if len(rs) >= 3:
                out[f"{sp}_err"][i, j] = vals.std(ddof=1) / np.sqrt(len(rs))
            else:
                out[f"{sp}_err"][i, j] = math.sqrt(sum(float(r[f"{sp}_err"]) ** 2 for r in rs)) / len(rs)
        out["d_12_cs"][i, j] = float(chapman_spitzer_d12(mixes[name], g))
        out["gamma_measured"][i, j] = np.mean([float(r["gamma_measured"]) for r in rs])
        out["energy_drift"][i, j] = max(float(r["energy_drift"]) for r in rs)
        out["n_seeds"][i, j] = len(rs)
    du = "a1^2 omega_p1"
    data = {k: with_attrs(xr.DataArray(out[k], dims=("mixture", "gamma")), du, v) for k, v in DIFF_VARS.items()}
    data["d_12_over_cs"] = with_attrs(xr.DataArray(out["d_12"] / out["d_12_cs"], dims=("mixture", "gamma")), "1",
                                      "MD D12 (mixing rule) / Chapman-Spitzer D12")
    data["gamma_measured"] = with_attrs(xr.DataArray(out["gamma_measured"], dims=("mixture", "gamma")), "1",
                                        "coupling from the mean NVE temperature")
    data["energy_drift"] = with_attrs(xr.DataArray(out["energy_drift"], dims=("mixture", "gamma")), "k_B T per particle",
                                      "largest total-energy drift of the runs")
    data["n_seeds"] = with_attrs(xr.DataArray(out["n_seeds"], dims=("mixture", "gamma")), "1", "independent runs combined")
    coords: dict[str, Any] = {
        "mixture": with_attrs(xr.DataArray(names, dims="mixture"), "1", "mixture name"),
        "gamma": with_attrs(xr.DataArray(gammas, dims="gamma"), "1", "BIM coupling Gamma = <Z^5/3> e^2/(a k_B T)"),
    }
    for key, long in (("z1", "charge number Z1"), ("z2", "charge number Z2"), ("m1", "mass m1"), ("m2", "mass m2"),
                      ("x2", "number fraction x2 of species 2")):
        coords[key] = with_attrs(xr.DataArray([getattr(mixes[nm], key) for nm in names], dims="mixture"), "1", long)
    coords["to_mixture_units"] = with_attrs(
        xr.DataArray([units_factor(mixes[nm])["to_mixture_units"] for nm in names], dims="mixture"), "1",
        "a1^2 omega_p1 / (a^2 omega_p): converts D to the units of Eq. 6")
    return xr.Dataset(data, coords=coords,
                      attrs={"units": "D in a1^2 omega_p1; a1 = (Z1/<Z>)^(1/3) a, omega_p1 = sqrt(3 <Z> Z1/m1)"})


def mixture_from_dataset(ds: xr.Dataset, name: str) -> Mixture:
    """The :class:`Mixture` stored along the ``mixture`` dimension of a collected dataset."""
    s = ds.sel(mixture=name)
    return Mixture(name, *(float(s[k]) for k in ("z1", "z2", "m1", "m2", "x2")))


FIT_PARAMS = {
    "alpha": "Chapman-Spitzer correction alpha_j (Eq. 5)",
    "c_prime": "Coulomb logarithm constant C'_j (Eq. 5)",
    "A": "Eyring prefactor A_j (Eq. 6, units a^2 omega_p)",
    "B": "Eyring activation energy B_j (Eq. 6)",
}


def _eq5_for(mix: Mixture, species: int):
    """Eq. 5 of one species as a function of (gamma, alpha, c_prime) only (lmfit parameters)."""

    def eq5(gamma: np.ndarray, alpha: float, c_prime: float) -> np.ndarray:
        return eq5_d_star(gamma, alpha, c_prime, mix, species)

    return eq5


def _eq6(gamma: np.ndarray, A: float, B: float) -> np.ndarray:  # noqa: N803 - lmfit parameter names
    return eq6_d_star(gamma, A, B)


def fit_mixture_models(diffusion: xr.Dataset, fits: Mapping[str, Any]) -> xr.Dataset:
    """Per-species fits of Eq. 5 (α_j, C'_j; Γ ≤ ``cs_gamma_max``) and Eq. 6 (A_j, B_j; Γ ≥ ``eyring_gamma_min``).

    Weighted by the D_j errors floored at ``min_relative_error``·D_j, with lmfit (the fitter of
    :mod:`kineticflow.plasma.fits`). Eq. 6 is fitted to D_j/(a²ω_p) (mixture ω_p), as in the paper.
    Abscissa: ``gamma_measured`` if ``use_measured_gamma``; the ranges apply to the nominal Γ.
    A range with < 2 points gives NaN.

    Returns
    -------
    xarray.Dataset
        ``alpha``, ``c_prime``, ``A``, ``B`` and ``*_err`` on (mixture, species); ``cs_n_points``,
        ``eyring_n_points``, ``cs_redchi``, ``eyring_redchi``.
    """
    from kineticflow.plasma.fits import FitError, _fit

    names = [str(n) for n in diffusion["mixture"].values]
    res = {k: np.full((len(names), 2), np.nan) for k in
           [*FIT_PARAMS, *(f"{p}_err" for p in FIT_PARAMS), "cs_n_points", "eyring_n_points", "cs_redchi", "eyring_redchi"]}
    for i, name in enumerate(names):
        mix = mixture_from_dataset(diffusion, name)
        sub = diffusion.sel(mixture=name)
        if fits.get("use_measured_gamma", True):
            g = np.where(np.isfinite(sub["gamma_measured"].values), sub["gamma_measured"].values, sub["gamma"].values)
        else:
            g = sub["gamma"].values.astype(float)
        for s in (1, 2):
            d = sub[f"d_{s}"].values
            e = np.maximum(sub[f"d_{s}_err"].values, fits["min_relative_error"] * np.abs(d))
            ok = np.isfinite(d) & np.isfinite(e)
            g_nom = sub["gamma"].values.astype(float)  # fit ranges by nominal Γ (measured Γ ≈ 49.9 stays "50")
            k = units_factor(mix)["to_mixture_units"]
            for model, func, params, start, sel, scale in (
                ("cs", _eq5_for(mix, s), ("alpha", "c_prime"), (0.6, 1.2), ok & (g_nom <= fits["cs_gamma_max"]), 1.0),
                ("eyring", _eq6, ("A", "B"), (1.5, 0.005), ok & (g_nom >= fits["eyring_gamma_min"]), k),
            ):
                try:
                    f = _fit(func, params, start, g[sel], d[sel] * scale, e[sel] * scale)
                    for p in params:
                        res[p][i, s - 1], res[f"{p}_err"][i, s - 1] = f.values[p], f.errors[p]
                    res[f"{model}_redchi"][i, s - 1] = f.redchi
                except (FitError, ValueError):
                    pass
                res[f"{model}_n_points"][i, s - 1] = int(sel.sum())
    data = {}
    for k, v in res.items():
        base = k.removesuffix("_err")
        long = FIT_PARAMS[base] if k in FIT_PARAMS else (f"standard error of {base}" if base in FIT_PARAMS else k.replace("_", " "))
        data[k] = with_attrs(xr.DataArray(v, dims=("mixture", "species")), "1", long)
    return xr.Dataset(
        data,
        coords={
            "mixture": with_attrs(xr.DataArray(names, dims="mixture"), "1", "mixture name"),
            "species": with_attrs(xr.DataArray([1, 2], dims="species"), "1", "ionic species j"),
        },
        attrs={k: fits[k] for k in ("cs_gamma_max", "eyring_gamma_min")},
    )


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """Long table of the per-species fit parameters: one row per (mixture, species, parameter)."""
    rows = []
    for name in fits["mixture"].values:
        for s in (1, 2):
            f = fits.sel(mixture=name, species=s)
            for p in FIT_PARAMS:
                pre = "cs" if p in ("alpha", "c_prime") else "eyring"
                rows.append({"mixture": str(name), "species": s, "parameter": p, "value": float(f[p]),
                             "stderr": float(f[f"{p}_err"]), "n_points": int(f[f"{pre}_n_points"]),
                             "redchi": float(f[f"{pre}_redchi"])})
    return pd.DataFrame(rows)


@lru_cache(maxsize=2)
def _table2(path: str) -> pd.DataFrame:
    if path == TABLE2:
        return read_csv("kineticflow.plasma.data", TABLE2)
    return pd.read_csv(path, comment="#")


def table2(path: str | Path = TABLE2) -> pd.DataFrame:
    """Table II of the plasma paper: columns ``x2``, ``m2_over_m1``, ``gamma``, ``d2`` (a₁²ω_{p,1})."""
    return _table2(str(path)).copy()


def table2_comparison(diffusion: xr.Dataset, path: str | Path = TABLE2) -> pd.DataFrame:
    """Computed D₂ ± error beside Table II for every simulated (mixture, Γ).

    Rows of isotopic mixtures whose (x₂, m₂/m₁, Γ) is in Table II get ``d2_paper``,
    ``rel_diff`` = D₂/D₂(paper) − 1 and ``n_sigma`` = (D₂ − D₂(paper))/err; others NaN there.
    Also: D₁, D₁₂, D₁₂(CS).
    """
    t = table2(path)
    rows = []
    for name in diffusion["mixture"].values:
        mix = mixture_from_dataset(diffusion, str(name))
        for g in diffusion["gamma"].values:
            s = diffusion.sel(mixture=name, gamma=g)
            if not np.isfinite(float(s["d_2"])):
                continue
            ref = np.nan
            if mix.isotopic:
                hit = t[np.isclose(t["x2"], mix.x2) & np.isclose(t["m2_over_m1"], mix.m2 / mix.m1) & np.isclose(t["gamma"], g)]
                if len(hit):
                    ref = float(hit["d2"].iloc[0])
            d2, e2 = float(s["d_2"]), float(s["d_2_err"])
            rows.append({
                "mixture": str(name), "z1": mix.z1, "z2": mix.z2, "m2_over_m1": mix.m2 / mix.m1, "x2": mix.x2,
                "gamma": float(g), "gamma_measured": float(s["gamma_measured"]),
                "d2": d2, "d2_err": e2, "d2_paper": ref,
                "rel_diff": d2 / ref - 1 if np.isfinite(ref) else np.nan,
                "n_sigma": (d2 - ref) / e2 if np.isfinite(ref) and e2 > 0 else np.nan,
                "d1": float(s["d_1"]), "d1_err": float(s["d_1_err"]),
                "d12": float(s["d_12"]), "d12_err": float(s["d_12_err"]), "d12_cs": float(s["d_12_cs"]),
            })
    return pd.DataFrame(rows)
