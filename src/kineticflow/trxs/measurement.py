"""Rule ``add_noise``: the TRXS signal as measured — on the measured delays, with seeded noise.

Beyond the TRXS paper (docs/trxs.md, "Beyond the paper"): the jitter-averaged signal of Eqs 1 and
7–8 on the configured delays, plus white Gaussian noise of standard deviation σ = S_ref/SNR. Kept
apart from the deconvolution so that the noise jobs import neither scipy nor the solvers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs
from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.noise import add_noise, parse_snr

TAU_ATTRS = dim_attrs("tau")
T_REL_ATTRS = dim_attrs("t_rel")


def measured_delays_signal(
    inst: xr.Dataset, jittered: xr.Dataset, delays_ps: Sequence[float] | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Noise-free jitter-averaged ΔS(q, τ) on the measured delays (TRXS Eq. 1 with the pulse of Eq. 8).

    Parameters
    ----------
    inst : xarray.Dataset
        ``delta_s_q(t, q)`` on the uniform simulation grid.
    jittered : xarray.Dataset
        ``pulse_analytic(t_rel)``, ``delta_s_q(tau, q)`` and the attribute ``fwhm_eff_ps``.
    delays_ps : sequence of float or None
        Measured delays, ps; None or empty: the delays of ``jittered``.

    Returns
    -------
    tau : ndarray, shape (ntau,)
        Delays, ps (sorted, unique).
    clean : ndarray, shape (ntau, nq)
        Signal, in the units of ``inst.delta_s_q``.

    Raises
    ------
    ValueError
        If a delay lies closer than 2.5 effective FWHM to the end of the simulation grid.
    """
    if delays_ps is None or len(delays_ps) == 0:
        return jittered["tau"].values, jittered["delta_s_q"].values
    tau = np.sort(np.unique(np.asarray(delays_ps, dtype=float)))
    t = inst["t"].values
    fwhm_eff = float(jittered.attrs["fwhm_eff_ps"])
    if tau.min() - 2.5 * fwhm_eff < t[0] or tau.max() + 2.5 * fwhm_eff > t[-1]:
        raise ValueError(
            f"measured delays [{tau.min()}, {tau.max()}] ps need the simulation grid to extend "
            f"2.5 effective FWHM ({2.5 * fwhm_eff:g} ps) beyond them; grid is [{t[0]}, {t[-1]}] ps"
        )
    lags = lag_grid(t)
    kernel = np.interp(lags, jittered["t_rel"].values, jittered["pulse_analytic"].values, left=0.0, right=0.0)
    return tau, convolve_with_pulse(inst["delta_s_q"].values, t, kernel, tau)


def measure(
    inst: xr.Dataset,
    jittered: xr.Dataset,
    snr: Any,
    seed: int,
    delays_ps: Sequence[float] | None = None,
    noise_reference: str = "instantaneous",
) -> xr.Dataset:
    """Rule ``add_noise``: jitter-averaged ΔS(q, τ) on the measured delays, plus seeded noise.

    Parameters
    ----------
    inst : xarray.Dataset
        ``delta_s_q(t, q)`` on the uniform simulation grid (rule ``simulate_trxs``).
    jittered : xarray.Dataset
        Rule ``average_jitter`` output: ``pulse_analytic(t_rel)``, ``delta_s_q(tau, q)``,
        attributes ``fwhm_ps``, ``fwhm_eff_ps``, ``jitter_fraction``.
    snr : float or "inf"
        Signal-to-noise ratio; σ = max|ΔS| / SNR.
    seed : int
        Noise seed (see :func:`kineticflow.core.noise.stable_seed`).
    delays_ps : sequence of float, optional
        Measured delays (any spacing, e.g. close to logarithmic), ps. None: the delays of
        ``jittered``.
    noise_reference : {"instantaneous", "measured"}
        Signal scale of the SNR: σ = max|ΔS_inst(q, t)| / SNR (the same absolute noise for every
        pulse, as for the same detector and photon count; default) or σ = max|ΔS(q, τ)| / SNR
        (relative to this pulse's measured signal).

    Returns
    -------
    xarray.Dataset
        ``delta_s_q(tau, q)`` (noisy), ``delta_s_q_clean(tau, q)``, ``pulse(t_rel)`` (effective);
        attributes ``snr``, ``noise_sigma``, ``seed``, ``fwhm_ps``, ``fwhm_eff_ps``, ``jitter_fraction``.

    Raises
    ------
    ValueError
        If a delay lies closer than 2.5 effective FWHM to the end of the simulation grid.
    """
    snr_value = parse_snr(snr)
    q_units = inst["delta_s_q"].attrs.get("units", "1")
    tau, clean = measured_delays_signal(inst, jittered, delays_ps)
    if noise_reference == "instantaneous":
        reference = float(np.max(np.abs(inst["delta_s_q"].values)))
    elif noise_reference == "measured":
        reference = float(np.max(np.abs(clean)))
    else:
        raise ValueError(f"noise_reference must be 'instantaneous' or 'measured', got {noise_reference!r}")
    noisy, sigma = add_noise(clean, snr_value, seed, reference)
    ds = xr.Dataset(
        {
            "delta_s_q": (
                ("tau", "q"),
                noisy,
                {
                    "units": q_units,
                    "long_name": "measured signal Delta S(q, tau): jitter-averaged, with Gaussian noise",
                },
            ),
            "delta_s_q_clean": (
                ("tau", "q"),
                clean,
                {"units": q_units, "long_name": "noise-free jitter-averaged signal Delta S(q, tau)"},
            ),
            "pulse": (
                ("t_rel",),
                jittered["pulse_analytic"].values,
                {"units": "1/ps", "long_name": "effective (jitter-averaged) pulse <I_x(t - tau)>, Eq. 8"},
            ),
        },
        coords={
            "tau": ("tau", tau, TAU_ATTRS),
            "q": jittered["q"],
            "t_rel": ("t_rel", jittered["t_rel"].values, T_REL_ATTRS),
        },
    )
    ds.attrs.update(
        {
            "source": "TRXS Eqs 1, 7-8 plus white Gaussian noise of standard deviation sigma = S_ref / SNR",
            "snr": "inf" if np.isinf(snr_value) else snr_value,
            "noise_sigma": sigma,
            "noise_reference": noise_reference,
            "noise_reference_value": reference,
            "noise_definition": (
                "sigma = noise_reference_value / SNR, noise_reference_value = max |Delta S_inst(q, t)| (instantaneous) "
                "or max |Delta S(q, tau)| (measured); SNR = inf: no noise"
            ),
            "seed": int(seed),
            "delay_spacing": "grid" if delays_ps is None or len(delays_ps) == 0 else "list",
            **{k: jittered.attrs[k] for k in ("fwhm_ps", "fwhm_eff_ps", "jitter_fraction") if k in jittered.attrs},
        }
    )
    return ds
