"""The TRXS per-case steps batched per pulse width: one workflow job computes every case of one FWHM.

A Python job costs ~0.5-1 s of interpreter start-up and imports before any physics, more than
most single cases; the rules ``convolve_pulse`` (with the jitter averages and the noisy
measurements) and ``deconvolve_and_fit`` therefore run once per pulse width and loop here over the
jitter fractions and SNRs of that width (``invert_fourier``, ~0.01 s a case, once for all).
Each case gives the same dataset as the single-case function it calls, and the cases of one
width share what does not depend on the case:

* ``convolve_pulse``: the FFT of ΔS_inst, the same for the nominal pulse and every jitter
  (computed once per FFT length), and the convolution with a pulse met twice (jitter 0);

* ``deconvolve``: the pulse matrix and its Tikhonov factorisation (QR + SVD) depend only on the
  effective pulse and the delays, the same for every SNR of one (FWHM, jitter): factorised once;
* ``fit_kinetics``: the forward model (integration grid, pulse interpolant, cache of the pulse
  matrices per t₀) is shared by the fits of one effective pulse.

Sharing changes no number: the shared objects are the ones each case computed before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

Config = Mapping[str, Any]


def _pulse_key(ds: xr.Dataset, fwhm_eff: float) -> tuple[bytes, bytes, bytes, float]:
    """Identity of the effective pulse and delays of a measured dataset (what a shared object depends on)."""
    return (
        np.ascontiguousarray(ds["tau"].values).tobytes(),
        np.ascontiguousarray(ds["t_rel"].values).tobytes(),
        np.ascontiguousarray(ds["pulse"].values).tobytes(),
        fwhm_eff,
    )


def pulse_average_cases(
    inst: xr.Dataset,
    pulse_cfg: Config,
    fwhm_ps: float,
    delays: Config,
    jitter_fractions: Sequence[float],
    jitter_cfg: Config,
    workdir: str = ".",
) -> tuple[xr.Dataset, list[xr.Dataset]]:
    """Rule ``convolve_pulse``: one pulse (TRXS Eq. 1) and its jitter averages (Eqs 7-8).

    Every convolution of the job is with the same ΔS_inst, so its FFT is computed once per FFT
    length, and a pulse met twice (no jitter: the nominal pulse) is convolved once (a shared
    cache; the same numbers as separate calls).

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs``.
    pulse_cfg, delays, jitter_cfg : mapping
        ``trxs.pulse``, ``trxs.delays``, ``trxs.jitter``.
    fwhm_ps : float
        Pulse FWHM, ps.
    jitter_fractions : sequence of float
        Jitter FWHM / pulse FWHM of each case.
    workdir : str
        Folder for a relative profile file.

    Returns
    -------
    convolved : xarray.Dataset
        :func:`kineticflow.trxs.signals.convolve_pulse`.
    jittered : list of xarray.Dataset
        :func:`kineticflow.trxs.signals.average_jitter` of each fraction, in order.
    """
    from kineticflow.trxs.signals import average_jitter, convolve_pulse

    cache: dict[str, Any] = {}
    conv = convolve_pulse(inst, pulse_cfg, fwhm_ps, delays, workdir, cache=cache)
    jit = [average_jitter(inst, conv, pulse_cfg, float(j), jitter_cfg, delays, cache) for j in jitter_fractions]
    return conv, jit


def pulse_cases(inst: xr.Dataset, fwhm: str, cfg: Config) -> tuple[xr.Dataset, list[xr.Dataset], list[xr.Dataset]]:
    """Rule ``convolve_pulse``: one pulse, its jitter averages and their noisy measurements.

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs``.
    fwhm : str
        Pulse FWHM (ps) as in the file names (``"100"``).
    cfg : mapping
        ``pulse``, ``delays``, ``jitter`` and ``measurement`` (the ``trxs`` sections, without the
        lists of widths, fractions and SNRs), ``fractions`` (the jitter fractions as in the file
        names), ``measured_jitters`` (those measured) and ``snrs`` (as in the file names).

    Returns
    -------
    convolved : xarray.Dataset
    jittered : list of xarray.Dataset
        One per fraction of ``fractions``.
    measured : list of xarray.Dataset
        One per (measured jitter, SNR), jitter-major (:func:`measure_cases`).
    """
    fractions = list(cfg["fractions"])
    conv, jit = pulse_average_cases(
        inst, cfg["pulse"], float(fwhm), cfg["delays"], [float(j) for j in fractions], cfg["jitter"]
    )
    measured_jit = {j: jit[fractions.index(j)] for j in cfg["measured_jitters"]}
    return conv, jit, measure_cases(inst, measured_jit, cfg["snrs"], fwhm, cfg["measurement"])


def invert_fourier_cases(jittered: Sequence[xr.Dataset], inversion: Config, weighting: Config) -> list[xr.Dataset]:
    """Rule ``invert_fourier`` (TRXS Eq. 2) for each jitter-averaged dataset of one pulse.

    Parameters
    ----------
    jittered : sequence of xarray.Dataset
        Rule ``average_jitter`` outputs.
    inversion, weighting : mapping
        ``trxs.inversion``, ``trxs.weighting``.

    Returns
    -------
    list of xarray.Dataset
        :func:`kineticflow.trxs.signals.invert_fourier` of each, in order.
    """
    from kineticflow.trxs.signals import invert_fourier

    return [invert_fourier(j, inversion, weighting) for j in jittered]


def measure_cases(
    inst: xr.Dataset,
    jittered: Mapping[str, xr.Dataset],
    snrs: Sequence[str],
    fwhm: str,
    measurement: Config,
) -> list[xr.Dataset]:
    """Rule ``add_noise`` for every (jitter, SNR) of one pulse, jitter-major order.

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs``.
    jittered : mapping
        Jitter fraction as in the file name (e.g. ``"0.2"``) → rule ``average_jitter`` output.
    snrs : sequence of str
        SNRs as in the file names (``"inf"``, ``"100"``).
    fwhm : str
        Pulse FWHM as in the file names (``"100"``).
    measurement : mapping
        ``trxs.measurement`` (``seed``, ``delays_ps``, ``noise_reference``).

    Returns
    -------
    list of xarray.Dataset
        :func:`kineticflow.trxs.measurement.measure` of each case; the noise seed is
        ``stable_seed(seed, {fwhm, jitter, snr})`` of the file-name labels, as for one job per case.
    """
    from kineticflow.core.noise import stable_seed
    from kineticflow.trxs.measurement import measure

    out = []
    for j, jit in jittered.items():
        for snr in snrs:
            seed = stable_seed(measurement["seed"], {"fwhm": fwhm, "jitter": j, "snr": snr})
            ref = measurement.get("noise_reference", "instantaneous")
            out.append(measure(inst, jit, snr, seed, measurement.get("delays_ps"), ref))
    return out


def deconvolve_cases(inst: xr.Dataset, measured: Sequence[xr.Dataset], cfg: Config) -> list[xr.Dataset]:
    """Rule ``deconvolve`` for several measured datasets, one factorisation per effective pulse.

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs`` (the truth).
    measured : sequence of xarray.Dataset
        Rule ``add_noise`` outputs.
    cfg : mapping
        ``trxs.deconvolution``.

    Returns
    -------
    list of xarray.Dataset
        :func:`kineticflow.trxs.deconvolution.deconvolve` of each, in order.
    """
    from kineticflow.trxs.deconvolution import deconvolve

    shared: dict[Any, Any] = {}
    out = []
    for m in measured:
        key = _pulse_key(m, float(m.attrs["fwhm_eff_ps"]))
        out.append(deconvolve(inst, m, cfg, shared=shared.setdefault(key, {})))
    return out


def fit_cases(
    measured: Sequence[xr.Dataset], model_cfg: Config, fit_cfg: Config, q_weight: ArrayLike | None = None
) -> list[xr.Dataset]:
    """Rule ``fit_kinetics`` for several measured datasets, one forward model per effective pulse.

    Parameters
    ----------
    measured : sequence of xarray.Dataset
        Rule ``add_noise`` outputs.
    model_cfg, fit_cfg : mapping
        ``trxs.model``, ``trxs.kinetic_fit``.
    q_weight : array_like, shape (nq,), optional
        f_A(q)² when the signals are weighted.

    Returns
    -------
    list of xarray.Dataset
        :func:`kineticflow.trxs.kinetic_fit.fit_measured` of each, in order.
    """
    from kineticflow.trxs.kinetic_fit import fit_measured

    shared: dict[Any, Any] = {}
    out = []
    for m in measured:
        key = _pulse_key(m, float(m.attrs["fwhm_eff_ps"])) + (np.ascontiguousarray(m["q"].values).tobytes(),)
        out.append(fit_measured(m, model_cfg, fit_cfg, q_weight, shared=shared.setdefault(key, {})))
    return out


def analyse_cases(
    inst: xr.Dataset,
    measured: Sequence[xr.Dataset],
    cfg: Config,
    q_weight: ArrayLike | None = None,
) -> tuple[list[xr.Dataset], list[xr.Dataset]]:
    """Rule ``deconvolve_and_fit``: :func:`deconvolve_cases` and :func:`fit_cases` of the same data.

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs`` (the truth).
    measured : sequence of xarray.Dataset
        The noisy measurements (rule ``convolve_pulse``).
    cfg : mapping
        ``deconvolution``, ``model`` and ``kinetic_fit`` (the ``trxs`` sections).
    q_weight : array_like, shape (nq,), optional
        f_A(q)² when the signals are weighted.

    Returns
    -------
    deconvolved, fits : list of xarray.Dataset
        One of each per measured dataset, in order.
    """
    deconvolved = deconvolve_cases(inst, measured, cfg["deconvolution"])
    return deconvolved, fit_cases(measured, cfg["model"], cfg["kinetic_fit"], q_weight)
