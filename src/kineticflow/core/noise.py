"""Seeded noise and signal-to-noise ratios (config values and wildcards).

Every random number in kineticflow comes from ``numpy.random.default_rng(seed)`` with a seed
from the config, made specific to a job by :func:`stable_seed`, so reruns are bitwise equal.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


def parse_snr(value: Any) -> float:
    """Signal-to-noise ratio from a config or wildcard value: ``inf``, None or ∞ → ``math.inf``.

    Raises
    ------
    ValueError
        If the value is not a positive number or ``inf``.
    """
    if value is None or (
        isinstance(value, str) and value.strip().lower() in ("inf", "infinity", ".inf", "none", "null")
    ):
        return math.inf
    snr = float(value)
    if not snr > 0:
        raise ValueError(f"SNR must be > 0 or 'inf', got {value!r}")
    return snr


def format_snr(value: Any) -> str:
    """Wildcard form of an SNR: ``inf`` or ``{:g}`` (100.0 → ``"100"``)."""
    snr = parse_snr(value)
    return "inf" if math.isinf(snr) else f"{snr:g}"


def stable_seed(base_seed: int, key: Mapping[str, Any]) -> int:
    """Seed that depends on a base seed and a set of labels, stable across runs and machines.

    Parameters
    ----------
    base_seed : int
        Seed from the config.
    key : mapping
        Labels (e.g. the Snakemake wildcards ``fwhm``, ``jitter``, ``snr``); order-independent.

    Returns
    -------
    int
        ``(base_seed + crc32("k1=v1|k2=v2|…")) mod 2³²`` (Python's ``hash`` is salted, crc32 is not).
    """
    text = "|".join(f"{k}={key[k]}" for k in sorted(key))
    return int((int(base_seed) + zlib.crc32(text.encode())) % 2**32)


def noise_sigma(delta_s: ArrayLike, snr: float) -> float:
    """Noise standard deviation σ = max|ΔS| / SNR (0 for SNR = ∞), in the units of ΔS."""
    snr = parse_snr(snr)
    return 0.0 if np.isinf(snr) else float(np.max(np.abs(delta_s)) / snr)


def add_noise(
    delta_s: ArrayLike, snr: float, seed: int, reference: float | None = None
) -> tuple[NDArray[np.float64], float]:
    """Add seeded white Gaussian noise at a given SNR to a measured signal.

    Parameters
    ----------
    delta_s : array_like, shape (ntau, nq)
        Noise-free ΔS(q, τ).
    snr : float
        Signal-to-noise ratio; σ = max|ΔS| / SNR. ``inf`` returns the signal unchanged.
    seed : int
        Seed of ``numpy.random.default_rng``.
    reference : float, optional
        Signal scale S_ref in σ = S_ref / SNR; default max|ΔS| of ``delta_s`` itself.

    Returns
    -------
    noisy : ndarray, shape (ntau, nq)
    sigma : float
        Standard deviation of the added noise (units of ΔS).
    """
    clean = np.asarray(delta_s, dtype=float)
    sigma = noise_sigma(clean if reference is None else np.array([reference]), snr)
    if sigma == 0.0:
        return clean.copy(), 0.0
    rng = np.random.default_rng(seed)
    return clean + rng.normal(0.0, sigma, size=clean.shape), sigma
