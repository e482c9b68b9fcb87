"""A small simulated observation, shipped as ``resources/trxs_observed_example.txt``.

Two exponentials (one shorter than the pulse, one longer) and a long-lived offset, seen through a
jittered Gaussian pulse on log-spaced delays (with negative ones), with seeded noise at SNR ~20:
the input of the "Your own data" example in docs/trxs.md. :func:`write_example` regenerates the
shipped file byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.trxs.exponentials import irf_sigma, kinetic_basis
from kineticflow.trxs.observation import make_observation, write_observation

#: Significant digits of ΔS and σ in the shipped example file.
EXAMPLE_DIGITS = 6


def _example_spectra(q: NDArray[np.float64]) -> NDArray[np.float64]:
    """Three smooth difference spectra (n_q, 3): two bond-length changes and a heating-like offset."""

    def shell(r: float) -> NDArray[np.float64]:
        return np.sinc(q * r / np.pi)  # sin(qr)/(qr)

    damp = np.exp(-0.05 * q**2)
    return np.stack(
        [
            (shell(3.0) - shell(2.5)) * damp,
            0.6 * (shell(4.0) - shell(3.0)) * damp,
            -0.3 * q * np.exp(-((q - 2.0) ** 2)),
        ],
        axis=1,
    )


def simulate_example(
    n_q: int = 200,
    n_tau: int = 40,
    *,
    time_constants_ps: tuple[float, float] = (50.0, 2000.0),
    fwhm_ps: float = 100.0,
    jitter: float = 0.2,
    snr: float = 20.0,
    seed: int = 2024,
) -> xr.Dataset:
    """A simulated observation: two exponentials and an offset through a jittered Gaussian pulse, noisy.

    ΔS(q, τ) = Σ_k DAS_k(q) f_k(τ) + offset(q) f_∞(τ) with f from
    :func:`kineticflow.trxs.exponentials.kinetic_basis` (t₀ = 0), plus seeded Gaussian noise of
    σ(q) = σ₀ (0.7 + 0.6 (q − q_min)/(q_max − q_min)), σ₀ = max|ΔS|/SNR.

    Parameters
    ----------
    n_q : int
        q points, evenly spaced over 0.5–4.5 1/angstrom.
    n_tau : int
        Delays (≥ 8): three negative (−300, −100, −30 ps), 0, and n_tau − 4 log-spaced from 10 ps
        to 30 ns, rounded to 3 significant digits.
    time_constants_ps : tuple of float
        The two time constants, ps.
    fwhm_ps, jitter : float
        Pulse FWHM (ps) and jitter (fraction of the FWHM).
    snr : float
        max|ΔS| / σ₀.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    xarray.Dataset
        The contract (``reader = "simulated"``), the truth in attributes ``true_*``.
    """
    q = np.round(np.linspace(0.5, 4.5, n_q), 6)
    logs = [float(f"{t:.3g}") for t in np.geomspace(10.0, 3e4, n_tau - 4)]
    tau = np.array([-300.0, -100.0, -30.0, 0.0, *logs])
    phi = kinetic_basis(tau, list(time_constants_ps), 0.0, sigma_ps=irf_sigma(fwhm_ps, jitter), offset=True)
    clean = _example_spectra(q) @ phi.T
    ramp = 0.7 + 0.6 * (q - q[0]) / (q[-1] - q[0])
    sigma = np.broadcast_to((np.abs(clean).max() / snr * ramp)[:, None], clean.shape).copy()
    noisy = clean + np.random.default_rng(seed).standard_normal(clean.shape) * sigma
    return make_observation(
        q,
        tau,
        noisy,
        sigma,
        sample="simulated: two exponentials + offset, Gaussian pulse with jitter",
        snr=snr,
        seed=seed,
        true_time_constants_ps=list(time_constants_ps),
        true_fwhm_ps=fwhm_ps,
        true_jitter=jitter,
    )


def write_example(path: str | os.PathLike[str]) -> Path:
    """Write :func:`simulate_example` () as the shipped text example (ΔS and σ to 6 digits).

    Returns
    -------
    pathlib.Path
    """
    return write_observation(simulate_example(), path, "text", digits=EXAMPLE_DIGITS)
