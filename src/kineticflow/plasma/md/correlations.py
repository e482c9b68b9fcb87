"""Multi-origin correlation functions by FFT: velocity autocorrelation and mean-square displacement.

Per particle or per disjoint particle group (the groups give the block errors of D*).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.fft as sfft


def particle_groups(n_particles: int, n_groups: int, seed: int | np.random.Generator) -> list[np.ndarray]:
    """Disjoint random groups of particle indices covering 0 … N−1 (for block errors).

    Parameters
    ----------
    n_particles : int
        Number of particles N ≥ 1.
    n_groups : int
        Number of groups; clipped to [1, N]. Sizes differ by at most one.
    seed : int or numpy.random.Generator
        Seed of the random permutation (reruns give the same groups), or a generator to draw
        it from (several species from one stream).

    Returns
    -------
    list of ndarray
        Sorted index arrays, one per group.
    """
    n_groups = max(1, min(int(n_groups), int(n_particles)))
    perm = np.random.default_rng(seed).permutation(n_particles)
    return [np.sort(g) for g in np.array_split(perm, n_groups)]


def _group_power_autocorr(x: np.ndarray, n_lags: int, groups: Sequence[np.ndarray] | None, workers: int) -> np.ndarray:
    """Σ_t x(t)·x(t+k) / (T − k), summed over the last axis, for k < n_lags (zero-padded FFT).

    ``x`` has shape (T, N, c). Without ``groups`` the result is per particle, shape (n_lags, N);
    with groups it is the mean over each group, shape (n_lags, n_groups). Groups are transformed
    one at a time (small working set) and their power spectra summed before the inverse FFT,
    which the Wiener–Khinchin theorem makes exact.
    """
    T = x.shape[0]
    nfft = sfft.next_fast_len(2 * T - 1, real=True)
    norm = (T - np.arange(n_lags))[:, None]
    if groups is None:
        f = sfft.rfft(x, n=nfft, axis=0, workers=workers)
        power = (f.real**2 + f.imag**2).sum(axis=-1)
        return sfft.irfft(power, n=nfft, axis=0, workers=workers)[:n_lags] / norm
    spectra = np.empty((nfft // 2 + 1, len(groups)))
    for j, g in enumerate(groups):
        f = sfft.rfft(x[:, g], n=nfft, axis=0, workers=workers)
        spectra[:, j] = (f.real**2 + f.imag**2).sum(axis=(1, 2)) / len(g)
    return sfft.irfft(spectra, n=nfft, axis=0, workers=workers)[:n_lags] / norm


def _check_groups(groups: Sequence[np.ndarray] | None, n: int) -> None:
    if groups is None:
        return
    if not groups or any(len(g) == 0 for g in groups):
        raise ValueError("groups must be non-empty index arrays")
    if max(int(np.max(g)) for g in groups) >= n or min(int(np.min(g)) for g in groups) < 0:
        raise ValueError(f"group indices must lie in [0, {n - 1}]")


def vacf(
    velocities: np.ndarray,
    n_lags: int,
    groups: Sequence[np.ndarray] | None = None,
    workers: int = 1,
) -> np.ndarray:
    """Multi-origin velocity autocorrelation ⟨v(t0 + t)·v(t0)⟩ per particle or per particle group.

    Parameters
    ----------
    velocities : ndarray, shape (n_frames, n_particles, 3)
        Velocities at equally spaced times.
    n_lags : int
        Number of lags (0 … n_lags-1 frames); must not exceed n_frames.
    groups : sequence of int arrays, optional
        Particle groups (e.g. :func:`particle_groups`); then the VACF is averaged within each
        group, which is much cheaper than per particle (one inverse FFT per group).
    workers : int
        Threads of the FFTs (``scipy.fft`` ``workers``).

    Returns
    -------
    ndarray, shape (n_lags, n_particles) or (n_lags, n_groups)
        Averaged over all time origins (and the group), summed over the three components
        (units of v²).

    Raises
    ------
    ValueError
        If n_lags > n_frames or n_lags < 1, or a group is empty or out of range.
    """
    v = np.asarray(velocities, dtype=float)
    if not 1 <= n_lags <= v.shape[0]:
        raise ValueError(f"n_lags = {n_lags} must be in [1, n_frames = {v.shape[0]}]")
    _check_groups(groups, v.shape[1])
    return _group_power_autocorr(v, n_lags, groups, workers)


def msd(
    positions: np.ndarray,
    n_lags: int,
    groups: Sequence[np.ndarray] | None = None,
    workers: int = 1,
) -> np.ndarray:
    """Multi-origin mean-square displacement ⟨|r(t0 + t) − r(t0)|²⟩ per particle or per group.

    Uses MSD(k) = S1(k) − 2 S2(k) with S2 the FFT autocorrelation (Calandrini et al.,
    École thématique de la SFN 12, 201 (2011)).

    Parameters
    ----------
    positions : ndarray, shape (n_frames, n_particles, 3)
        Unwrapped positions at equally spaced times.
    n_lags : int
        Number of lags.
    groups : sequence of int arrays, optional
        Particle groups; then the MSD is averaged within each group.
    workers : int
        Threads of the FFTs.

    Returns
    -------
    ndarray, shape (n_lags, n_particles) or (n_lags, n_groups)
        Units of positions².

    Raises
    ------
    ValueError
        If n_lags > n_frames or n_lags < 1, or a group is empty or out of range.
    """
    r = np.asarray(positions, dtype=float)
    T = r.shape[0]
    if not 1 <= n_lags <= T:
        raise ValueError(f"n_lags = {n_lags} must be in [1, n_frames = {T}]")
    _check_groups(groups, r.shape[1])
    r = r - r.mean(axis=0, keepdims=True)
    d = (r**2).sum(axis=-1)  # (T, N)
    if groups is not None:
        d = np.stack([d[:, g].mean(axis=1) for g in groups], axis=1)  # (T, n_groups)
    s2 = _group_power_autocorr(r, n_lags, groups, workers)
    d0 = np.concatenate([d, np.zeros((1, d.shape[1]))])
    q = 2.0 * d.sum(axis=0)
    s1 = np.empty((n_lags, d.shape[1]))
    for k in range(n_lags):
        if k > 0:
            q = q - d0[k - 1] - d0[T - k]
        s1[k] = q / (T - k)
    return s1 - 2.0 * s2


def current_autocorr(
    current: np.ndarray, n_lags: int, n_blocks: int, workers: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Multi-origin autocorrelation ⟨J(t0 + t)·J(t0)⟩ of one collective current, and of time blocks.

    A collective current (e.g. the interdiffusion current of a mixture) is a single time series,
    so its statistical error comes from contiguous blocks of the trajectory, not particle groups.

    Parameters
    ----------
    current : ndarray, shape (n_frames, 3)
        The current at equally spaced times.
    n_lags : int
        Number of lags, 1 ≤ n_lags ≤ n_frames.
    n_blocks : int
        Requested number of contiguous time blocks; reduced so that each block holds at least
        ``n_lags`` frames (0 blocks if fewer than two fit).
    workers : int
        Threads of the FFTs.

    Returns
    -------
    mean : ndarray, shape (n_lags,)
        Autocorrelation over the whole run, summed over the three components.
    blocks : ndarray, shape (n_b, n_lags)
        Autocorrelation of each time block (n_b = 0 if the run is shorter than 2 n_lags frames).

    Raises
    ------
    ValueError
        If n_lags is out of range.
    """
    j = np.asarray(current, dtype=float)
    t = j.shape[0]
    if not 1 <= n_lags <= t:
        raise ValueError(f"n_lags = {n_lags} must be in [1, n_frames = {t}]")
    mean = _group_power_autocorr(j[:, None, :], n_lags, None, workers)[:, 0]
    n_b = min(int(n_blocks), t // n_lags)
    if n_b < 2:
        return mean, np.empty((0, n_lags))
    parts = np.array_split(j, n_b)
    blocks = np.stack([_group_power_autocorr(p[:, None, :], n_lags, None, workers)[:, 0] for p in parts])
    return mean, blocks
