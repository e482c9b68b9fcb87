"""Green–Kubo and Einstein estimators on synthetic data with known integrals."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.plasma.md import MDError, msd, particle_groups, read_dump, vacf
from kineticflow.plasma.md.transport import (
    DiffusionError,
    einstein_diffusion,
    green_kubo_diffusion,
    running_green_kubo,
)


def test_green_kubo_exponential_vacf():
    # C(t) = 3 (k_BT/m) exp(−t/τ): D = (k_BT/m) τ exactly
    kT, tau = 0.5, 2.0
    t = np.linspace(0, 20 * tau, 4001)
    c = 3 * kT * np.exp(-t / tau)
    assert green_kubo_diffusion(c, t, tail_correction=False) == pytest.approx(kT * tau, rel=1e-4)
    assert running_green_kubo(c, t)[-1] == pytest.approx(kT * tau, rel=1e-4)


def test_tail_correction_recovers_truncated_exponential():
    kT, tau = 1.0, 5.0
    t = np.linspace(0, 2.5 * tau, 2001)  # window only 2.5 τ: 8 % of the integral missing
    c = 3 * kT * np.exp(-t / tau)
    plain = green_kubo_diffusion(c, t, tail_correction=False)
    assert plain == pytest.approx(kT * tau * (1 - np.exp(-2.5)), rel=1e-4)
    assert green_kubo_diffusion(c, t, tail_correction=True) == pytest.approx(kT * tau, rel=2e-3)


def test_tail_correction_leaves_decayed_oscillating_vacf_alone():
    t = np.linspace(0, 60, 3001)
    c = 3 * np.exp(-t / 3) * np.cos(2 * t)
    exact = (1 / 3) * 3 * (1 / 3) / ((1 / 3) ** 2 + 4)  # ∫ e^{-t/3} cos 2t dt = (1/3)/((1/3)²+4)
    assert green_kubo_diffusion(c, t) == pytest.approx(exact, rel=1e-3)


def test_green_kubo_rejects_bad_input():
    with pytest.raises(DiffusionError):
        green_kubo_diffusion([1.0, 0.5], [0.0, 1.0])
    t = np.linspace(0, 1, 50)
    with pytest.raises(DiffusionError, match="lengthen"):
        green_kubo_diffusion(np.exp(-t / 100), t)


def test_einstein_matches_exponential_vacf_msd():
    D, tau = 2.0, 1.5
    t = np.linspace(0, 15, 600)
    m = 6 * D * (t - tau * (1 - np.exp(-t / tau)))
    assert einstein_diffusion(m, t) == pytest.approx(D, rel=1e-4)


def test_multi_origin_vacf_and_msd_of_ornstein_uhlenbeck():
    # Ornstein–Uhlenbeck velocities: <v(t)v(0)> = σ² e^{−t/τ} per component; D = σ² τ
    rng = np.random.default_rng(3)
    dt, tau, sigma, n_t, n_p = 0.05, 1.0, 1.0, 20000, 40
    a = np.exp(-dt / tau)
    v = np.empty((n_t, n_p, 3))
    v[0] = rng.normal(0, sigma, (n_p, 3))
    noise = rng.normal(0, sigma * np.sqrt(1 - a * a), (n_t, n_p, 3))
    for i in range(1, n_t):
        v[i] = a * v[i - 1] + noise[i]
    n_lags = 200
    c = vacf(v, n_lags).mean(axis=1)
    lag = np.arange(n_lags) * dt
    assert c[0] == pytest.approx(3 * sigma**2, rel=0.02)
    assert c[20] == pytest.approx(3 * sigma**2 * np.exp(-1.0), rel=0.05)
    assert green_kubo_diffusion(c, lag) == pytest.approx(sigma**2 * tau, rel=0.05)
    # brute-force check of the FFT correlations on one particle
    k = 7
    brute = np.mean(np.sum(v[:-k, 0] * v[k:, 0], axis=-1))
    assert vacf(v[:, :1], 10)[k, 0] == pytest.approx(brute, rel=1e-10)
    r = np.cumsum(v, axis=0) * dt
    m = msd(r, n_lags)
    brute_m = np.mean(np.sum((r[k:, 3] - r[:-k, 3]) ** 2, axis=-1))
    assert m[k, 3] == pytest.approx(brute_m, rel=1e-8)
    assert einstein_diffusion(m.mean(axis=1), lag) == pytest.approx(sigma**2 * tau, rel=0.08)


def test_grouped_correlations_equal_group_means_of_per_particle_ones():
    # the group path sums power spectra before the inverse FFT (Wiener–Khinchin): it must give
    # exactly the mean of the per-particle correlations of each group
    rng = np.random.default_rng(5)
    v = rng.normal(size=(300, 23, 3))
    r = np.cumsum(v, axis=0)
    groups = particle_groups(23, 4, seed=2)
    assert sorted(np.concatenate(groups).tolist()) == list(range(23))
    assert {len(g) for g in groups} == {5, 6}
    per_c, per_m = vacf(v, 40), msd(r, 40)
    np.testing.assert_allclose(
        vacf(v, 40, groups), np.stack([per_c[:, g].mean(axis=1) for g in groups], axis=1), rtol=1e-10
    )
    np.testing.assert_allclose(
        msd(r, 40, groups, workers=2),
        np.stack([per_m[:, g].mean(axis=1) for g in groups], axis=1),
        rtol=1e-9,
        atol=1e-9 * per_m.max(),
    )
    with pytest.raises(ValueError, match="groups"):
        vacf(v, 40, [np.array([], dtype=int)])
    with pytest.raises(ValueError, match=r"\[0, 22\]"):
        vacf(v, 40, [np.array([0, 23])])


def _text_dump(frames: list[list[tuple[int, float, float, float]]]) -> str:
    out = []
    for step, rows in enumerate(frames):
        out += [
            "ITEM: TIMESTEP",
            str(step),
            "ITEM: NUMBER OF ATOMS",
            str(len(rows)),
            "ITEM: BOX BOUNDS pp pp pp",
            "0 1",
            "0 1",
            "0 1",
            "ITEM: ATOMS id vx vy vz",
        ]
        out += [f"{i} {a} {b} {c}" for i, a, b, c in rows]
    return "\n".join(out) + "\n"


def test_read_dump_orders_rows_by_atom_id(tmp_path):
    # LAMMPS writes the atoms of each MPI rank in turn: rows arrive unsorted
    path = tmp_path / "vel.txt"
    path.write_text(
        _text_dump(
            [[(2, 2.0, 0, 0), (3, 3.0, 0, 0), (1, 1.0, 0, 0)], [(3, 30.0, 0, 0), (1, 10.0, 0, 0), (2, 20.0, 0, 0)]]
        )
    )
    np.testing.assert_array_equal(read_dump(path, 3)[:, :, 0], [[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])
    path.write_text(_text_dump([[(2, 2.0, 0, 0), (2, 3.0, 0, 0), (1, 1.0, 0, 0)]]))  # id 3 missing, 2 twice
    with pytest.raises(MDError, match="ids are not 1..N"):
        read_dump(path, 3)


def test_green_kubo_at_the_default_sampling_of_an_oscillating_vacf():
    # A VACF is even and smooth in t (C'(0) = 0), so the trapezoidal rule's error terms vanish
    # (Euler–Maclaurin): sampling every 0.5/ω_p (plasma.md.sample_wp) is exact to < 1e-6 for a
    # strongly coupled-like C(t) = 3 kT e^{−t²/2σ²} cos(ω t), ∫₀^∞ = 3 kT √(π/2) σ e^{−ω²σ²/2}.
    kT, sigma, omega = 0.01, 3.0, 0.6  # oscillation period ~10/ω_p as near Γ = 150
    exact = kT * np.sqrt(np.pi / 2) * sigma * np.exp(-((omega * sigma) ** 2) / 2)
    t = np.arange(0, 60.0 + 1e-9, 0.5)
    c = 3 * kT * np.exp(-(t**2) / (2 * sigma**2)) * np.cos(omega * t)
    assert green_kubo_diffusion(c, t, tail_correction=False) == pytest.approx(exact, rel=1e-6)
    # a kinked (odd-derivative) VACF is where coarse sampling would bite: e^{−t/τ} at h = τ/2
    t2 = np.arange(0, 40.0 + 1e-9, 0.5)
    assert abs(green_kubo_diffusion(3 * np.exp(-t2), t2, tail_correction=False) - 1.0) > 1e-2
