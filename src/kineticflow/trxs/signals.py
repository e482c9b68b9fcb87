"""The TRXS branch as dataset-in, dataset-out steps: one function per workflow rule.

Each function takes plain config sections (dicts of numbers and strings) and xarray datasets,
and returns a new :class:`xarray.Dataset` whose variables carry ``units`` and ``long_name``.
The physics is in :mod:`kineticflow.trxs.model`, :mod:`kineticflow.core.transforms`,
:mod:`kineticflow.trxs.pulses` and :mod:`kineticflow.core.convolution`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs
from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.form_factors import atomic_form_factor
from kineticflow.core.transforms import modification_function, sine_transform_q_to_r, sine_transform_r_to_q
from kineticflow.trxs.model import DiatomicModel, delta_s_inst_r, excited_distance, excited_population
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

Config = Mapping[str, Any]

R_ATTRS = dim_attrs("r")
Q_ATTRS = dim_attrs("q")
T_ATTRS = dim_attrs("t")
TAU_ATTRS = dim_attrs("tau")
T_REL_ATTRS = dim_attrs("t_rel")


def grid_axis(lo: float, hi: float, step: float) -> NDArray[np.float64]:
    """Inclusive uniform grid lo, lo + step, …, hi (hi included when it falls on the grid)."""
    n = int(np.floor((hi - lo) / step + 1e-9)) + 1
    return np.asarray(lo + step * np.arange(n), dtype=np.float64)


def delay_grid(delays: Config) -> NDArray[np.float64]:
    """Pump–probe delays τ (ps) from the ``trxs.delays`` config section."""
    return grid_axis(delays["tau_min_ps"], delays["tau_max_ps"], delays["tau_step_ps"])


def _da(values: Any, dims: tuple[str, ...], units: str, long_name: str) -> xr.DataArray:
    return xr.DataArray(values, dims=dims, attrs={"units": units, "long_name": long_name})


def _signal_units(weighting: Config) -> tuple[str, str]:
    if weighting.get("enabled", False):
        return "electrons^2", "electrons^2 angstrom^3"
    return "1", "angstrom^3"


def simulate_instantaneous(model_cfg: Config, grid: Config, weighting: Config) -> xr.Dataset:
    """ΔS_inst[r, t] (TRXS Eqs 3-5) and ΔS_inst(q, t) (Eq. 6) on the configured grids.

    Parameters
    ----------
    model_cfg : mapping
        ``trxs.model`` section (see :class:`kineticflow.trxs.model.DiatomicModel`).
    grid : mapping
        ``trxs.grid`` section: r (Å), q (Å⁻¹) and t (ps) ranges and steps.
    weighting : mapping
        ``trxs.weighting``: if ``enabled``, ΔS(q) is multiplied by f_A(q)² and ΔS[r] by
        f_A(0)² (independent-atom model; electron units), so a sharpened inversion returns
        ΔS[r].

    Returns
    -------
    xarray.Dataset
        ``delta_s_r(t, r)`` and ``delta_s_q(t, q)``; ``n_y(t)`` and ``r_peak_model(t)``.
    """
    model = DiatomicModel.from_config(dict(model_cfg))
    r = grid_axis(grid["r_min"], grid["r_max"], grid["r_step"])
    q = grid_axis(grid["q_min"], grid["q_max"], grid["q_step"])
    t = grid_axis(grid["t_min_ps"], grid["t_max_ps"], grid["t_step_ps"])
    s_r = delta_s_inst_r(r, t, model)
    s_q = sine_transform_r_to_q(s_r, r, q)
    if weighting.get("enabled", False):
        f = atomic_form_factor(weighting["element"], np.concatenate([[0.0], q]))
        s_q *= f[1:] ** 2
        s_r *= f[0] ** 2
    r_units, q_units = _signal_units(weighting)
    ds = xr.Dataset(
        {
            "delta_s_r": _da(s_r, ("t", "r"), r_units, "instantaneous difference signal Delta S_inst[r, t]"),
            "delta_s_q": _da(s_q, ("t", "q"), q_units, "instantaneous difference signal Delta S_inst(q, t)"),
            "n_y": _da(excited_population(t, model), ("t",), "1", "population of the excited state Y"),
            "r_y_t": _da(
                np.where(t >= 0, excited_distance(t, model), 0.0),
                ("t",),
                "angstrom",
                "centre of g_Y: r_Y + Delta r_Y exp(-t/tau_r) (0 before the pump)",
            ),
        },
        coords={"r": ("r", r, R_ATTRS), "q": ("q", q, Q_ATTRS), "t": ("t", t, T_ATTRS)},
    )
    ds.attrs.update(
        {
            "source": "TRXS paper Eqs 3-6 (Delta S_inst[r,t] and its sine transform)",
            "signal_weighting": f"f_{weighting['element']}(q)^2" if weighting.get("enabled") else "none",
        }
    )
    ds.attrs.update({f"model.{k}": v for k, v in model.as_dict().items()})
    return ds


def nominal_pulse(
    lags: NDArray[np.float64], pulse_cfg: Config, fwhm_ps: float, workdir: str | Path = "."
) -> NDArray[np.float64]:
    """The nominal x-ray pulse I(s) on the lag grid from the ``trxs.pulse`` config section.

    Parameters
    ----------
    lags : ndarray, shape (n,)
        Uniform lag grid s = t − τ, ps.
    pulse_cfg : mapping
        ``shape`` (``gaussian`` or ``measured``), ``profile_file`` and ``rescale_profile``.
    fwhm_ps : float
        FWHM of the pulse, ps (for a measured profile: the width it is stretched to when
        ``rescale_profile`` is true).
    workdir : path
        Folder that a relative ``profile_file`` is relative to.

    Returns
    -------
    ndarray, shape (n,)
        Unit-area intensity, ps⁻¹.
    """
    if pulse_cfg.get("shape", "gaussian") == "gaussian":
        return gaussian_pulse(lags, fwhm_ps)
    path = Path(pulse_cfg["profile_file"])
    if not path.is_absolute():
        path = Path(workdir) / path
    pt, pi = read_pulse_profile(path)
    return measured_pulse(lags, pt, pi, fwhm_ps if pulse_cfg.get("rescale_profile", True) else None)


def _convolve_both(
    inst: xr.Dataset,
    pulse_on_lags: NDArray[np.float64],
    tau: NDArray[np.float64],
    cache: dict[str, Any] | None = None,
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


def convolve_pulse(
    inst: xr.Dataset,
    pulse_cfg: Config,
    fwhm_ps: float,
    delays: Config,
    workdir: str | Path = ".",
    cache: dict[str, Any] | None = None,
) -> xr.Dataset:
    """ΔS(q, τ) and ΔS[r, τ] for one finite x-ray pulse (TRXS paper Eq. 1, Figs 5-6).

    Parameters
    ----------
    inst : xarray.Dataset
        Output of :func:`simulate_instantaneous` (``delta_s_r(t, r)``, ``delta_s_q(t, q)``).
    pulse_cfg : mapping
        ``trxs.pulse`` section.
    fwhm_ps : float
        Pulse FWHM, ps.
    delays : mapping
        ``trxs.delays`` section (τ range and step, ps).
    workdir : path
        Folder for a relative profile file.
    cache : dict, optional
        Shared by the convolutions of one ``inst`` (one job): the FFTs of its signals per FFT
        length, and the result per pulse (the jitter-free average of a Gaussian pulse is the
        pulse itself). The same numbers as without it.

    Returns
    -------
    xarray.Dataset
        ``delta_s_q(tau, q)``, ``delta_s_r(tau, r)``, ``pulse(t)`` on the lag grid (±4 FWHM);
        attribute ``fwhm_ps`` (nominal) and ``fwhm_measured_ps`` (of the sampled pulse).
    """
    t = inst["t"].values
    lags = lag_grid(t)
    pulse = nominal_pulse(lags, pulse_cfg, fwhm_ps, workdir)
    tau = delay_grid(delays)
    conv = _convolve_both(inst, pulse, tau, cache)
    win = _pulse_window(lags, fwhm_ps)
    ds = xr.Dataset(
        {
            "delta_s_q": _da(
                conv["delta_s_q"],
                ("tau", "q"),
                inst["delta_s_q"].attrs["units"],
                "pulse-averaged signal Delta S(q, tau)",
            ),
            "delta_s_r": _da(
                conv["delta_s_r"],
                ("tau", "r"),
                inst["delta_s_r"].attrs["units"],
                "pulse-averaged signal Delta S[r, tau]",
            ),
            "pulse": _da(pulse[win], ("t_rel",), "1/ps", "x-ray pulse intensity I_x(t - tau), unit area"),
        },
        coords={
            "tau": ("tau", tau, TAU_ATTRS),
            "q": inst["q"],
            "r": inst["r"],
            "t_rel": ("t_rel", lags[win], T_REL_ATTRS),
        },
    )
    ds.attrs.update(
        {
            "source": "TRXS paper Eq. 1: Delta S(q,tau) = int dt I_x(t - tau) Delta S_inst(q,t)",
            "fwhm_ps": float(fwhm_ps),
            "fwhm_measured_ps": measure_fwhm(lags, pulse),
            "pulse_shape": pulse_cfg.get("shape", "gaussian"),
        }
    )
    return ds


def average_jitter(
    inst: xr.Dataset,
    convolved: xr.Dataset,
    pulse_cfg: Config,
    jitter_fraction: float,
    jitter_cfg: Config,
    delays: Config,
    cache: dict[str, Any] | None = None,
) -> xr.Dataset:
    """Jitter-averaged pulse and signals (TRXS paper Eqs 7-8, Sec. 6).

    The nominal pulse is taken from ``convolved["pulse"]``; the delay error has a Gaussian
    distribution of FWHM ``jitter_fraction · fwhm_ps``.

    Parameters
    ----------
    inst : xarray.Dataset
        Instantaneous signals (output of :func:`simulate_instantaneous`).
    convolved : xarray.Dataset
        Output of :func:`convolve_pulse` for the same pulse.
    pulse_cfg : mapping
        ``trxs.pulse`` section (Eq. 8 is used for Gaussian pulses, Eq. 7 numerically otherwise).
    jitter_fraction : float
        FWHM of the delay distribution as a fraction of the pulse FWHM (≥ 0).
    jitter_cfg : mapping
        ``trxs.jitter`` section: ``n_shots`` and ``seed`` of the Monte-Carlo average.
    delays : mapping
        ``trxs.delays`` section.
    cache : dict, optional
        Shared by the convolutions of one ``inst`` (see :func:`convolve_pulse`).

    Returns
    -------
    xarray.Dataset
        ``pulse_analytic(t)``, ``pulse_monte_carlo(t)``, ``delta_s_q(tau, q)`` and
        ``delta_s_r(tau, r)`` with the analytic pulse, ``delta_s_q_monte_carlo`` and
        ``delta_s_r_monte_carlo`` with the Monte-Carlo pulse; attributes ``fwhm_eff_ps``
        (Eq. 8), ``fwhm_eff_monte_carlo_ps`` (measured) and ``seed``.
    """
    fwhm_ps = float(convolved.attrs["fwhm_ps"])
    jitter_fwhm = float(jitter_fraction) * fwhm_ps
    t = inst["t"].values
    lags = lag_grid(t)
    base = np.interp(lags, convolved["t_rel"].values, convolved["pulse"].values, left=0.0, right=0.0)
    gaussian = pulse_cfg.get("shape", "gaussian") == "gaussian"
    if gaussian:
        analytic = jitter_averaged_pulse(lags, fwhm_ps, jitter_fwhm)
    else:
        analytic = jitter_averaged_profile(lags, base, jitter_fwhm)
    seed = int(jitter_cfg["seed"]) + int(round(1000 * jitter_fraction)) * 7919 + int(round(fwhm_ps))
    width = effective_fwhm(fwhm_ps, jitter_fwhm)
    win = _pulse_window(lags, width)
    mc = np.zeros_like(lags)
    mc[win] = monte_carlo_jitter_pulse(
        lags[win], convolved["t_rel"].values, convolved["pulse"].values, jitter_fwhm, int(jitter_cfg["n_shots"]), seed
    )
    tau = delay_grid(delays)
    conv_a = _convolve_both(inst, analytic, tau, cache)
    conv_m = _convolve_both(inst, mc, tau, cache)
    q_units = inst["delta_s_q"].attrs["units"]
    r_units = inst["delta_s_r"].attrs["units"]
    ds = xr.Dataset(
        {
            "pulse_analytic": _da(analytic[win], ("t_rel",), "1/ps", "jitter-averaged pulse <I_x(t - tau)>, Eq. 8"),
            "pulse_monte_carlo": _da(mc[win], ("t_rel",), "1/ps", "average of N seeded jittered pulses"),
            "pulse_nominal": _da(base[win], ("t_rel",), "1/ps", "nominal x-ray pulse without jitter"),
            "delta_s_q": _da(
                conv_a["delta_s_q"], ("tau", "q"), q_units, "jitter-averaged signal Delta S(q, tau), Eq. 7"
            ),
            "delta_s_r": _da(
                conv_a["delta_s_r"], ("tau", "r"), r_units, "jitter-averaged signal Delta S[r, tau], Eq. 7"
            ),
            "delta_s_q_monte_carlo": _da(
                conv_m["delta_s_q"], ("tau", "q"), q_units, "Delta S(q, tau) with the Monte-Carlo pulse"
            ),
            "delta_s_r_monte_carlo": _da(
                conv_m["delta_s_r"], ("tau", "r"), r_units, "Delta S[r, tau] with the Monte-Carlo pulse"
            ),
        },
        coords={
            "tau": ("tau", tau, TAU_ATTRS),
            "q": inst["q"],
            "r": inst["r"],
            "t_rel": ("t_rel", lags[win], T_REL_ATTRS),
        },
    )
    ds.attrs.update(
        {
            "source": "TRXS paper Eqs 7-8 (jitter-averaged pulse); FWHM_eff^2 = FWHM_x^2 + FWHM_j^2",
            "fwhm_ps": fwhm_ps,
            "jitter_fraction": float(jitter_fraction),
            "jitter_fwhm_ps": jitter_fwhm,
            "fwhm_eff_ps": width if gaussian else measure_fwhm(lags, analytic),
            "fwhm_eff_monte_carlo_ps": measure_fwhm(lags, mc),
            "n_shots": int(jitter_cfg["n_shots"]),
            "seed": seed,
            "jitter_sigma_ps": jitter_fwhm / FWHM_PER_SIGMA,
        }
    )
    return ds


def invert_fourier(jittered: xr.Dataset, inversion: Config, weighting: Config) -> xr.Dataset:
    """ΔS[r, τ] recovered from ΔS(q, τ) over the measured q range (TRXS paper Eq. 2).

    Parameters
    ----------
    jittered : xarray.Dataset
        Output of :func:`average_jitter` (``delta_s_q(tau, q)``, ``delta_s_r(tau, r)``).
    inversion : mapping
        ``trxs.inversion``: ``q_min``, ``q_max`` (Å⁻¹), ``modification`` (none, damping,
        sharpening) and ``damping_a2`` (Å²).
    weighting : mapping
        ``trxs.weighting``: the element whose f(q) sharpening divides out.

    Returns
    -------
    xarray.Dataset
        ``delta_s_r(tau, r)`` with the configured M(q), ``delta_s_r_unmodified`` (M = 1,
        same q range), ``delta_s_r_reference`` (the r-space convolution, the truth),
        ``m_q(q)``.
    """
    qsel = jittered["q"].sel(q=slice(inversion["q_min"] - 1e-12, inversion["q_max"] + 1e-12))
    q = qsel.values
    r = jittered["r"].values
    s_q = jittered["delta_s_q"].sel(q=qsel).values
    f = None
    if inversion["modification"] == "sharpening":
        f = atomic_form_factor(weighting.get("element", "I"), np.concatenate([[0.0], q]))
    m_q = modification_function(q, inversion["modification"], inversion["damping_a2"], f)
    recovered = sine_transform_q_to_r(s_q, q, r, m_q)
    plain = sine_transform_q_to_r(s_q, q, r)
    units = jittered["delta_s_r"].attrs["units"]
    ds = xr.Dataset(
        {
            "delta_s_r": _da(
                recovered, ("tau", "r"), units, f"Delta S[r, tau] from Eq. 2 with M(q) = {inversion['modification']}"
            ),
            "delta_s_r_unmodified": _da(plain, ("tau", "r"), units, "Delta S[r, tau] from Eq. 2 with M(q) = 1"),
            "delta_s_r_reference": _da(
                jittered["delta_s_r"].values, ("tau", "r"), units, "Delta S[r, tau] convolved in r space (truth)"
            ),
            "m_q": _da(m_q, ("q",), "1", "modification function M(q)"),
        },
        coords={"tau": jittered["tau"], "r": jittered["r"], "q": ("q", q, Q_ATTRS)},
    )
    ds.attrs.update(
        {
            "source": "TRXS paper Eq. 2: Delta S[r,tau] = 1/(2 pi^2 r) int dq q M(q) Delta S(q,tau) sin(qr)",
            "q_min": float(q[0]),
            "q_max": float(q[-1]),
            "modification": inversion["modification"],
            "damping_a2": float(inversion["damping_a2"]),
            **{k: v for k, v in jittered.attrs.items() if k in ("fwhm_ps", "jitter_fraction", "fwhm_eff_ps")},
        }
    )
    return ds
