"""The measuring device of the plasma branch: the sampled trajectory of a molecular-dynamics run.

An MD study measures with the sampling of its trajectory: frames of the velocities (and the
unwrapped positions) of N ions at equal time intervals. Everything the branch reports is estimated
from them: the velocity autocorrelation (VACF) and the mean-square displacement (MSD), multi-origin
by FFT and per disjoint particle group for the errors (:func:`correlate`), then D* by Green–Kubo
and Einstein (:mod:`kineticflow.plasma.md.transport`; plasma paper, Daligault, PRL 108, 225004
(2012)). This module is the contract of that observation:

* :class:`Trajectory` — what a sampled trajectory is: velocity frames (n_frames, N, 3), optional
  unwrapped-position frames, the time step and dump interval, and the units (ω_p per time unit,
  the length unit a);
* :func:`read_trajectory` — a trajectory from LAMMPS ``dump custom … id vx vy vz`` and
  ``dump custom … id xu yu zu`` files (binary ``.bin`` or text; read by
  :func:`kineticflow.plasma.md.dumps.read_dump`, rows ordered by atom id);
* :func:`correlate` — the trajectory's VACF and MSD per particle group, in plasma units.

Our LAMMPS runs (:func:`kineticflow.plasma.ocp.md.simulate_md`) deliver a :class:`Trajectory`;
a user's own dump of an OCP in LAMMPS ``units lj`` with a = m = q = 1 (ω_p = √3 per time unit)
can replace them through :func:`read_trajectory` and the same :func:`correlate`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from kineticflow.plasma.md.correlations import msd, particle_groups, vacf
from kineticflow.plasma.md.dumps import read_dump


@dataclass(frozen=True)
class Trajectory:
    """Velocity (and position) frames of N ions sampled at equal intervals, with their units.

    Attributes
    ----------
    velocities : ndarray, shape (n_frames, N, 3)
        Velocities in the dump's units (length unit per time unit), rows ordered by atom id.
    timestep : float
        Integration time step, in the dump's time unit.
    dump_every : int
        Steps between two velocity frames.
    omega_p : float
        Plasma frequency per dump time unit (√3 for the OCP with a = m = q = 1; ω_{p,1} for a
        mixture): lags are reported in 1/ω_p.
    positions : ndarray, shape (n_position_frames, N, 3), optional
        Unwrapped positions in units of a (for the MSD), sampled every ``position_every``
        velocity frames.
    position_every : int
        Velocity frames per position frame.
    length_unit : float
        The reduced length (a, or a₁ of a mixture) in the dump's length unit: velocities are
        reported in ``length_unit`` · ω_p.
    """

    velocities: np.ndarray
    timestep: float
    dump_every: int
    omega_p: float
    positions: np.ndarray | None = None
    position_every: int = 1
    length_unit: float = 1.0

    @property
    def n_frames(self) -> int:
        """Number of velocity frames."""
        return int(self.velocities.shape[0])

    @property
    def n_particles(self) -> int:
        """Number of ions N."""
        return int(self.velocities.shape[1])

    def reduced_velocities(self) -> np.ndarray:
        """Velocities in units of ``length_unit`` · ω_p (a ω_p), shape (n_frames, N, 3)."""
        return self.velocities / (self.length_unit * self.omega_p)

    def lags(self, n_lags: int) -> np.ndarray:
        """The first ``n_lags`` frame lags t ω_p (frame interval ``timestep`` · ``dump_every`` · ω_p)."""
        return np.arange(n_lags) * self.timestep * self.dump_every * self.omega_p


def read_trajectory(
    velocity_dump: str | os.PathLike[str],
    n_particles: int,
    *,
    timestep: float,
    dump_every: int,
    omega_p: float,
    position_dump: str | os.PathLike[str] | None = None,
    position_every: int = 1,
    length_unit: float = 1.0,
) -> Trajectory:
    """A :class:`Trajectory` from LAMMPS ``dump custom`` files (``id vx vy vz``; ``id xu yu zu``).

    Parameters
    ----------
    velocity_dump : path
        Velocity dump, one frame every ``dump_every`` steps (``.bin``: LAMMPS binary format).
    n_particles : int
        Atoms in every frame (ids 1 … N).
    timestep, dump_every, omega_p, position_every, length_unit
        As the attributes of :class:`Trajectory`.
    position_dump : path, optional
        Unwrapped-position dump, one frame every ``position_every`` velocity frames.

    Returns
    -------
    Trajectory

    Raises
    ------
    kineticflow.plasma.md.errors.MDError
        An empty or truncated dump, or atom ids that are not 1 … N in every frame.
    """
    positions = read_dump(position_dump, n_particles) if position_dump is not None else None
    return Trajectory(
        read_dump(velocity_dump, n_particles),
        timestep,
        dump_every,
        omega_p,
        positions=positions,
        position_every=position_every,
        length_unit=length_unit,
    )


def correlate(traj: Trajectory, n_lags: int, n_blocks: int, seed: int, workers: int = 1) -> dict[str, np.ndarray]:
    """VACF and MSD of a trajectory per disjoint particle group, and their size-weighted means.

    Parameters
    ----------
    traj : Trajectory
        With positions (the MSD needs them).
    n_lags : int
        Correlation lags wanted (at most the number of velocity frames).
    n_blocks : int
        Disjoint random particle groups (:func:`kineticflow.plasma.md.correlations.particle_groups`).
    seed : int
        Seed of the groups (reruns give the same groups).
    workers : int
        FFT threads.

    Returns
    -------
    dict of str to ndarray
        ``vacf`` (lag,) and ``vacf_block`` (block, lag) in (a ω_p)²; ``msd`` and ``msd_block``
        in a², the MSD on the coarser position frames interpolated onto the VACF lags (it is
        smooth in t); ``lag`` (lag,) in 1/ω_p.

    Raises
    ------
    ValueError
        If the trajectory has no positions.
    """
    if traj.positions is None:
        raise ValueError("correlate() needs the unwrapped positions for the MSD")
    n = traj.n_particles
    n_lags = min(n_lags, traj.n_frames)
    groups = particle_groups(n, int(n_blocks), seed)
    weights = np.array([len(g) for g in groups]) / n
    c_b = vacf(traj.reduced_velocities(), n_lags, groups, workers=workers).T  # (block, lag)
    every = int(traj.position_every)
    n_lags_pos = min(traj.positions.shape[0], (n_lags - 1) // every + 2)
    m_coarse = msd(traj.positions, n_lags_pos, groups, workers=workers)
    lag_idx = np.arange(n_lags)
    m_b = np.stack([np.interp(lag_idx, np.arange(n_lags_pos) * every, m_coarse[:, j]) for j in range(len(groups))])
    return {"vacf": weights @ c_b, "vacf_block": c_b, "msd": weights @ m_b, "msd_block": m_b, "lag": traj.lags(n_lags)}
