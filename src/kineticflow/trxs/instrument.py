"""The simulated measuring device: x-ray pulse, pump–probe jitter and detector noise.

The half of the TRXS branch that a user's real data replaces. A signal ΔS_inst(q, t) is seen
through the nominal pulse (TRXS paper Eq. 1), through the pulse averaged over the delay jitter
(Eqs 7–8; analytic and seeded Monte Carlo), and finally on the measured delays with seeded white
Gaussian noise of σ = S_ref/SNR (beyond the paper; docs/trxs.md, "Beyond the paper"). Every seed
comes from :func:`kineticflow.core.noise.stable_seed`.

References
----------
*Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eqs 1, 7–8.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import coord, variable
from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.noise import add_noise, parse_snr, stable_seed
from kineticflow.trxs.config import Delays, Jitter, Pulse
from kineticflow.trxs.pulses import (
    FWHM_PER_SIGMA,
    effective_fwhm,
    gaussian_pulse,
    jitter_averaged_profile,
    jitter_averaged_pulse,
    measure_fwhm,
    measured_pulse,
    monte_carlo_jitter_pulse,
    read_pulse_profile,
)

#: Attributes of a measured dataset that the analyses copy into theirs.
MEASUREMENT_ATTRS = ("fwhm_ps", "fwhm_eff_ps", "jitter_fraction", "snr", "noise_sigma", "noise_reference", "seed")


def nominal_pulse(
    lags: NDArray[np.float64], pulse: Pulse, fwhm_ps: float, profile: str | os.PathLike[str] | None = None
) -> NDArray[np.float64]:
    """The nominal x-ray pulse I(s) on the lag grid: a Gaussian or the measured profile.

    Parameters
    ----------
    lags : ndarray, shape (n,)
        Uniform lag grid s = t − τ, ps.
    pulse : Pulse
        ``shape`` (``gaussian`` or ``measured``) and ``rescale_profile``.
    fwhm_ps : float
        FWHM of the pulse, ps (for a measured profile: the width it is stretched to when
        ``rescale_profile`` is true).
    profile : path, optional
        The measured profile file (``shape: measured``).

    Returns
    -------
    ndarray, shape (n,)
        Unit-area intensity, ps⁻¹.

    Raises
    ------
    PulseProfileError
        If the measured profile is unreadable or has no area on the lag grid.
    """
    if pulse.shape == "gaussian":
        return gaussian_pulse(lags, fwhm_ps)
    pt, pi = read_pulse_profile(Path(profile if profile is not None else pulse.profile_file))
    return measured_pulse(lags, pt, pi, fwhm_ps if pulse.rescale_profile else None)


def jitter_seed(seed: int, jitter_fraction: float, fwhm_ps: float) -> int:
    """Seed of the Monte-Carlo jitter average of one pulse and jitter fraction.

    ``stable_seed(seed + 7919·round(1000·j) + round(FWHM/ps), {})``: the integer offset of the
    (FWHM, jitter) labels is added to the base seed instead of their crc32, so the random streams
    (and the jitter files) stay bitwise those of earlier runs.

    Examples
    --------
    >>> jitter_seed(20120201, 0.2, 100.0)
    21704101
    """
    offset = int(round(1000 * jitter_fraction)) * 7919 + int(round(fwhm_ps))
    return stable_seed(int(seed) + offset, {})


def noise_seed(seed: int, fwhm: str, jitter: str, snr: str) -> int:
    """Seed of the noise of one measurement: ``stable_seed(seed, {fwhm, jitter, snr})`` of its file labels."""
    return stable_seed(seed, {"fwhm": fwhm, "jitter": jitter, "snr": snr})


def _convolve_both(
    inst: xr.Dataset, pulse_on_lags: NDArray[np.float64], tau: NDArray[np.float64], cache: dict[str, Any] | None
) -> dict[str, NDArray[np.float64]]:
    """Both signals of ``inst`` convolved with one pulse (``cache``: see :func:`convolve_pulse`)."""
    t = inst["t"].values
    nr = inst.sizes["r"]
    key = (np.ascontiguousarray(pulse_on_lags).tobytes(), np.ascontiguousarray(tau).tobytes())
    done = None if cache is None else cache.setdefault("results", {}).get(key)
    if done is None:
        if cache is None or "stacked" not in cache:
            stacked = np.concatenate([inst["delta_s_r"].values, inst["delta_s_q"].values], axis=1)
        else:
            stacked = cache["stacked"]
        if cache is not None:
            cache["stacked"] = stacked
        spectra = None if cache is None else cache.setdefault("spectra", {})
        done = convolve_with_pulse(stacked, t, pulse_on_lags, tau, spectra=spectra)
        if cache is not None:
            cache["results"][key] = done
    return {"delta_s_r": done[:, :nr].copy(), "delta_s_q": done[:, nr:].copy()}


def _pulse_window(lags: NDArray[np.float64], width_ps: float) -> slice:
    keep = np.flatnonzero(np.abs(lags) <= 4 * width_ps)
    return slice(int(keep[0]), int(keep[-1]) + 1)


def _signals(inst: xr.Dataset, conv: dict[str, NDArray[np.float64]], what: str, suffix: str = "") -> dict[str, Any]:
    """``delta_s_q{suffix}(tau, q)`` and ``delta_s_r{suffix}(tau, r)`` in the units of ``inst``.

    ``what`` is the long name with ``{x}`` standing for ``(q, tau)`` or ``[r, tau]``.
    """
    args = {"q": "(q, tau)", "r": "[r, tau]"}
    return {
        f"delta_s_{x}{suffix}": variable(
            conv[f"delta_s_{x}"], ("tau", x), units=inst[f"delta_s_{x}"].attrs["units"], long_name=what.format(x=a)
        )
        for x, a in args.items()
    }


def convolve_pulse(
    inst: xr.Dataset,
    pulse: Pulse,
    fwhm_ps: float,
    delays: Delays,
    profile: str | os.PathLike[str] | None = None,
    cache: dict[str, Any] | None = None,
) -> xr.Dataset:
    """ΔS(q, τ) and ΔS[r, τ] for one finite x-ray pulse (TRXS paper Eq. 1, Figs 5-6).

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs``: ``delta_s_r(t, r)``, ``delta_s_q(t, q)``.
    pulse : Pulse
        Pulse shape; ``profile`` is the measured profile file if the shape is ``measured``.
    fwhm_ps : float
        Pulse FWHM, ps.
    delays : Delays
        τ range and step, ps.
    profile : path, optional
        Measured pulse profile.
    cache : dict, optional
        Shared by the convolutions of one ``inst`` (one job): the FFTs of its signals per FFT
        length and the result per pulse. The same numbers as without it.

    Returns
    -------
    xarray.Dataset
        ``delta_s_q(tau, q)``, ``delta_s_r(tau, r)``, ``pulse(t_rel)`` (±4 FWHM); attributes
        ``fwhm_ps`` (nominal) and ``fwhm_measured_ps`` (of the sampled pulse).
    """
    lags = lag_grid(inst["t"].values)
    i_x = nominal_pulse(lags, pulse, fwhm_ps, profile)
    tau = delays.tau()
    win = _pulse_window(lags, fwhm_ps)
    data = _signals(inst, _convolve_both(inst, i_x, tau, cache), "pulse-averaged signal Delta S{x}")
    data["pulse"] = variable(i_x[win], "t_rel", units="1/ps", long_name="x-ray pulse intensity I_x(t - tau), unit area")
    coords = {"tau": coord("tau", tau), "q": inst["q"], "r": inst["r"], "t_rel": coord("t_rel", lags[win])}
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(
        source="TRXS paper Eq. 1: Delta S(q,tau) = int dt I_x(t - tau) Delta S_inst(q,t)",
        fwhm_ps=float(fwhm_ps),
        fwhm_measured_ps=measure_fwhm(lags, i_x),
        pulse_shape=pulse.shape,
    )
    return ds


def _jittered_pulses(
    lags: NDArray[np.float64], convolved: xr.Dataset, gaussian: bool, jitter_fwhm: float, n_shots: int, seed: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float, slice]:
    """Nominal, analytic (Eq. 8 or Eq. 7 numerically) and Monte-Carlo pulses on the lags; width; window."""
    fwhm_ps = float(convolved.attrs["fwhm_ps"])
    t_rel, i_x = convolved["t_rel"].values, convolved["pulse"].values
    base = np.interp(lags, t_rel, i_x, left=0.0, right=0.0)
    if gaussian:
        analytic = jitter_averaged_pulse(lags, fwhm_ps, jitter_fwhm)
    else:
        analytic = jitter_averaged_profile(lags, base, jitter_fwhm)
    width = effective_fwhm(fwhm_ps, jitter_fwhm)
    win = _pulse_window(lags, width)
    mc = np.zeros_like(lags)
    mc[win] = monte_carlo_jitter_pulse(lags[win], t_rel, i_x, jitter_fwhm, n_shots, seed)
    return base, analytic, mc, width, win


def _jitter_dataset(
    inst: xr.Dataset,
    tau: NDArray[np.float64],
    t_rel: NDArray[np.float64],
    nominal: NDArray[np.float64],
    analytic: NDArray[np.float64],
    mc: NDArray[np.float64],
    win: slice,
    cache: dict[str, Any] | None,
) -> xr.Dataset:
    """The pulses of :func:`average_jitter` on ``t_rel`` and the signals convolved with them."""
    conv_a = _convolve_both(inst, analytic, tau, cache)
    conv_m = _convolve_both(inst, mc, tau, cache)
    data = {
        "pulse_analytic": variable(analytic[win], "t_rel", units="1/ps", long_name="jitter-averaged pulse, Eq. 8"),
        "pulse_monte_carlo": variable(mc[win], "t_rel", units="1/ps", long_name="average of N seeded jittered pulses"),
        "pulse_nominal": variable(nominal, "t_rel", units="1/ps", long_name="nominal x-ray pulse without jitter"),
        **_signals(inst, conv_a, "jitter-averaged signal Delta S{x}, Eq. 7"),
        **_signals(inst, conv_m, "Delta S{x} with the Monte-Carlo pulse", "_monte_carlo"),
    }
    coords = {"tau": coord("tau", tau), "q": inst["q"], "r": inst["r"], "t_rel": coord("t_rel", t_rel)}
    return xr.Dataset(data, coords=coords)


def average_jitter(
    inst: xr.Dataset,
    convolved: xr.Dataset,
    pulse: Pulse,
    jitter_fraction: float,
    jitter: Jitter,
    delays: Delays,
    cache: dict[str, Any] | None = None,
) -> xr.Dataset:
    """Jitter-averaged pulse and signals (TRXS paper Eqs 7-8, Sec. 6).

    Parameters
    ----------
    inst, convolved : xarray.Dataset
        Rule ``simulate_trxs``; :func:`convolve_pulse` (its ``pulse`` is the nominal pulse).
    pulse : Pulse
        Eq. 8 for a Gaussian pulse, Eq. 7 numerically otherwise.
    jitter_fraction : float
        FWHM of the Gaussian delay error over the pulse FWHM (≥ 0).
    jitter : Jitter
        ``n_shots`` of the Monte-Carlo average, base ``seed`` (:func:`jitter_seed`).
    delays : Delays
    cache : dict, optional
        As in :func:`convolve_pulse`.

    Returns
    -------
    xarray.Dataset
        ``pulse_analytic``, ``pulse_monte_carlo``, ``pulse_nominal`` (t_rel); ``delta_s_q(tau, q)``
        and ``delta_s_r(tau, r)`` with the analytic pulse, ``…_monte_carlo`` with the Monte-Carlo
        one; attributes ``fwhm_eff_ps`` (Eq. 8), ``fwhm_eff_monte_carlo_ps`` and ``seed``.
    """
    fwhm_ps = float(convolved.attrs["fwhm_ps"])
    jitter_fwhm = float(jitter_fraction) * fwhm_ps
    lags = lag_grid(inst["t"].values)
    gaussian = pulse.shape == "gaussian"
    seed = jitter_seed(jitter.seed, jitter_fraction, fwhm_ps)
    base, analytic, mc, width, win = _jittered_pulses(lags, convolved, gaussian, jitter_fwhm, jitter.n_shots, seed)
    tau = delays.tau()
    ds = _jitter_dataset(inst, tau, lags[win], base[win], analytic, mc, win, cache)
    ds.attrs.update(
        source="TRXS paper Eqs 7-8 (jitter-averaged pulse); FWHM_eff^2 = FWHM_x^2 + FWHM_j^2",
        fwhm_ps=fwhm_ps,
        jitter_fraction=float(jitter_fraction),
        jitter_fwhm_ps=jitter_fwhm,
        fwhm_eff_ps=width if gaussian else measure_fwhm(lags, analytic),
        fwhm_eff_monte_carlo_ps=measure_fwhm(lags, mc),
        n_shots=int(jitter.n_shots),
        seed=seed,
        jitter_sigma_ps=jitter_fwhm / FWHM_PER_SIGMA,
    )
    return ds


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


def noise_reference_value(inst: xr.Dataset, clean: NDArray[np.float64], noise_reference: str) -> float:
    """S_ref of σ = S_ref/SNR: max|ΔS_inst(q, t)| (``instantaneous``) or max|ΔS(q, τ)| (``measured``).

    Raises
    ------
    ValueError
        For another ``noise_reference``.
    """
    if noise_reference == "instantaneous":
        return float(np.max(np.abs(inst["delta_s_q"].values)))
    if noise_reference == "measured":
        return float(np.max(np.abs(clean)))
    raise ValueError(f"noise_reference must be 'instantaneous' or 'measured', got {noise_reference!r}")


def measure(
    inst: xr.Dataset,
    jittered: xr.Dataset,
    snr: Any,
    seed: int,
    delays_ps: Sequence[float] | None = None,
    noise_reference: str = "instantaneous",
) -> xr.Dataset:
    """The jitter-averaged ΔS(q, τ) as measured: on the measured delays, plus seeded noise.

    Parameters
    ----------
    inst, jittered : xarray.Dataset
        Rule ``simulate_trxs`` and :func:`average_jitter` (``pulse_analytic``, ``fwhm_eff_ps``).
    snr : float or "inf"
        Signal-to-noise ratio; σ = S_ref / SNR (:func:`noise_reference_value`).
    seed : int
        Noise seed (:func:`noise_seed`).
    delays_ps : sequence of float, optional
        Measured delays (any spacing), ps; None: the delays of ``jittered``.
    noise_reference : {"instantaneous", "measured"}
        S_ref: max|ΔS_inst| (the same noise for every pulse) or this pulse's max|ΔS(q, τ)|.

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
    units = inst["delta_s_q"].attrs.get("units", "1")
    tau, clean = measured_delays_signal(inst, jittered, delays_ps)
    reference = noise_reference_value(inst, clean, noise_reference)
    noisy, sigma = add_noise(clean, snr_value, seed, reference)
    data = {
        "delta_s_q": variable(noisy, ("tau", "q"), units=units, long_name="measured Delta S(q, tau): with noise"),
        "delta_s_q_clean": variable(clean, ("tau", "q"), units=units, long_name="noise-free Delta S(q, tau)"),
        "pulse": variable(jittered["pulse_analytic"].values, "t_rel", units="1/ps", long_name="effective pulse, Eq. 8"),
    }
    coords = {"tau": coord("tau", tau), "q": jittered["q"], "t_rel": coord("t_rel", jittered["t_rel"].values)}
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(
        source="TRXS Eqs 1, 7-8 plus white Gaussian noise of standard deviation sigma = S_ref / SNR",
        snr="inf" if np.isinf(snr_value) else snr_value,
        noise_sigma=sigma,
        noise_reference=noise_reference,
        noise_reference_value=reference,
        noise_definition="sigma = noise_reference_value / SNR (max |Delta S_inst(q, t)| or max |Delta S(q, tau)|)",
        seed=int(seed),
        delay_spacing="grid" if delays_ps is None or len(delays_ps) == 0 else "list",
        **{k: jittered.attrs[k] for k in ("fwhm_ps", "fwhm_eff_ps", "jitter_fraction") if k in jittered.attrs},
    )
    return ds
