"""The instrument of the plasma branch: a sampled trajectory, read from LAMMPS dumps and correlated."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kineticflow.plasma.instrument import Trajectory, correlate, read_trajectory
from kineticflow.plasma.md.transport import einstein_diffusion, green_kubo_diffusion


def _write_text_dump(path, frames: np.ndarray, step_every: int) -> None:
    """A LAMMPS text ``dump custom ... id c1 c2 c3`` with the atoms written in reverse id order."""
    n = frames.shape[1]
    lines = []
    for f, frame in enumerate(frames):
        lines += ["ITEM: TIMESTEP", str(f * step_every), "ITEM: NUMBER OF ATOMS", str(n),
                  "ITEM: BOX BOUNDS pp pp pp", "0 10", "0 10", "0 10", "ITEM: ATOMS id vx vy vz"]  # fmt: skip
        lines += [f"{i + 1} {x:.17g} {y:.17g} {z:.17g}" for i, (x, y, z) in reversed(list(enumerate(frame)))]
    path.write_text("\n".join(lines) + "\n")


def _ballistic_and_brownian(rng: np.random.Generator, n_frames: int, n: int, dt: float, tau: float) -> tuple:
    """Ornstein-Uhlenbeck velocities (unit variance per component) and their integrated positions."""
    a = math.exp(-dt / tau)
    v = np.empty((n_frames, n, 3))
    v[0] = rng.standard_normal((n, 3))
    for t in range(1, n_frames):
        v[t] = a * v[t - 1] + math.sqrt(1 - a * a) * rng.standard_normal((n, 3))
    return v, np.cumsum(v, axis=0) * dt


def test_a_user_dump_gives_the_diffusion_coefficient(tmp_path):
    # velocities in LAMMPS units (a per time unit) with omega_p = sqrt(3): <v(t).v(0)> = 3 e^{-t/tau} in
    # (a/time)^2, i.e. 3/3 e^{-t/tau} in (a omega_p)^2 and D* = (1/3) 1 tau omega_p
    rng = np.random.default_rng(7)
    dt_frame, tau, omega_p = 0.1, 1.0, math.sqrt(3.0)
    v, r = _ballistic_and_brownian(rng, 3000, 60, dt_frame, tau)
    _write_text_dump(tmp_path / "vel.txt", v, 10)
    _write_text_dump(tmp_path / "pos.txt", r[::5], 50)
    traj = read_trajectory(tmp_path / "vel.txt", 60, timestep=0.01, dump_every=10, omega_p=omega_p,
                           position_dump=tmp_path / "pos.txt", position_every=5)  # fmt: skip
    assert traj.n_frames == 3000 and traj.n_particles == 60
    np.testing.assert_allclose(traj.velocities, v, rtol=1e-15)  # rows ordered by atom id
    corr = correlate(traj, 300, n_blocks=4, seed=1)
    assert corr["lag"][1] == pytest.approx(dt_frame * omega_p)
    assert corr["vacf"][0] == pytest.approx(3.0 / omega_p**2, rel=0.05)
    assert corr["vacf_block"].shape == (4, 300) and corr["msd_block"].shape == (4, 300)
    d_exact = tau * omega_p / 3.0  # (1/3) \int <v.v>/omega_p^2 d(t omega_p) = (1/3) tau omega_p
    assert green_kubo_diffusion(corr["vacf"], corr["lag"]) == pytest.approx(d_exact, rel=0.1)
    assert einstein_diffusion(corr["msd"], corr["lag"]) == pytest.approx(d_exact, rel=0.15)


def test_units_and_lags_of_a_trajectory():
    vel = np.ones((5, 2, 3))
    traj = Trajectory(vel, timestep=0.02, dump_every=5, omega_p=2.0, length_unit=0.5)
    np.testing.assert_allclose(traj.reduced_velocities(), 1.0)  # 1 / (0.5 * 2)
    np.testing.assert_allclose(traj.lags(3), [0.0, 0.2, 0.4])
    with pytest.raises(ValueError, match="positions"):
        correlate(traj, 3, 2, seed=0)
