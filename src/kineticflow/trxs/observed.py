"""The analysis of an observation (measured or simulated ΔS(q, τ) with σ): SVD and the kinetic fit.

Every analysis of the observed path reads only the observation contract
(:mod:`kineticflow.trxs.observation`): the simulated path writes it with
:func:`observation_from_measurement`, a user's file with
:func:`kineticflow.trxs.observation.read_observation`. Then

* the noise-weighted SVD of ΔS/σ (:func:`kineticflow.core.svd.weighted_svd`) counts the
  components above the noise (:func:`svd_table`);
* the global kinetic model (:class:`kineticflow.trxs.config_observed.KineticModel`) is fitted:
  ``exponentials`` by variable projection (:func:`kineticflow.trxs.global_fit.global_fit`), or
  ``diatomic``, TRXS Eqs 3–6 convolved with the pulse (Eqs 1, 8), by Levenberg–Marquardt with the
  residuals divided by σ(q, τ) (:func:`fit_diatomic`); :func:`kinetics_table` lists the results.

The Tikhonov deconvolution and the Eq. 2 inversion of an observation are in
:mod:`kineticflow.trxs.observed_inversion`.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import coord, variable
from kineticflow.trxs.config import KineticFit
from kineticflow.trxs.config_observed import KineticModel, starting_time_constants
from kineticflow.trxs.global_fit import TABLE_COLUMNS, global_fit, global_fit_table
from kineticflow.trxs.model import DiatomicModel
from kineticflow.trxs.observation import make_observation

Profile = tuple[NDArray[np.float64], NDArray[np.float64]]

#: Lag-grid points per effective FWHM of a sampled Gaussian pulse (deconvolution, diatomic fit).
POINTS_PER_FWHM = 50


def observation_from_measurement(
    measured: xr.Dataset, source_file: str | os.PathLike[str] = "", source_file_sha256: str = ""
) -> xr.Dataset:
    """The contract of a simulated measurement (rule ``observe_trxs``): ΔS(q, τ) and σ = the noise σ.

    Parameters
    ----------
    measured : xarray.Dataset
        :func:`kineticflow.trxs.instrument.measure`: ``delta_s_q(tau, q)``, attribute
        ``noise_sigma`` (> 0: a noisy measurement) and the labels ``fwhm_ps``,
        ``jitter_fraction``, ``snr``.
    source_file, source_file_sha256 : str
        The measured file and its SHA-256.

    Returns
    -------
    xarray.Dataset
        The contract, ``reader = "simulated"``: ``delta_s`` the transpose of ``delta_s_q``
        (the same numbers), ``sigma`` constant.

    Raises
    ------
    kineticflow.trxs.observation.ObservationError
        For a noise-free measurement (σ = 0).
    """
    d = measured["delta_s_q"].transpose("tau", "q").values.T
    sigma = np.full(d.shape, float(measured.attrs["noise_sigma"]))
    a = measured.attrs
    return make_observation(
        measured["q"].values,
        measured["tau"].values,
        d,
        sigma,
        sample=(
            f"simulated: TRXS diatomic model (Eqs 3-6) through a {a.get('fwhm_ps', '?'):g} ps pulse with jitter "
            f"{a.get('jitter_fraction', 0):g} (Eqs 1, 7-8), white noise at SNR {a.get('snr')}"
        ),
        source_file=str(source_file),
        source_file_sha256=source_file_sha256,
        signal_unit=str(measured["delta_s_q"].attrs.get("units", "1")),
        snr=str(a.get("snr")),
        noise_sigma=float(a["noise_sigma"]),
        seed=int(a.get("seed", -1)),
    )


def effective_pulse(km: KineticModel, profile: Profile | None = None) -> Profile:
    """The jitter-averaged pulse of the instrument response, sampled: lags s (ps) and I(s) (1/ps, unit area).

    Gaussian: FWHM_eff = FWHM √(1 + j²) (TRXS Eq. 8) on ±5 FWHM_eff; measured: the profile centred,
    stretched to ``km.fwhm_ps`` if given and averaged over the jitter
    (:func:`kineticflow.trxs.exponentials.pulse_weights`).

    Raises
    ------
    ValueError
        A Gaussian without ``fwhm_ps`` or a measured pulse without ``profile``.
    """
    from kineticflow.trxs.exponentials import pulse_weights
    from kineticflow.trxs.pulses import effective_fwhm, gaussian_pulse

    if km.pulse_shape == "measured":
        if profile is None:
            raise ValueError("a measured instrument response needs the pulse profile")
        lags, w = pulse_weights(profile[0], profile[1], km.fwhm_ps, km.jitter)
        return lags, np.asarray(w / (lags[1] - lags[0]), dtype=np.float64)
    if km.fwhm_ps is None:
        raise ValueError("a Gaussian instrument response needs fwhm_ps")
    fwhm = effective_fwhm(km.fwhm_ps, km.jitter * km.fwhm_ps)
    step = fwhm / POINTS_PER_FWHM
    lags = np.asarray(step * np.arange(-5 * POINTS_PER_FWHM, 5 * POINTS_PER_FWHM + 1), dtype=np.float64)
    return lags, gaussian_pulse(lags, fwhm)


def fit_exponentials(obs: xr.Dataset, km: KineticModel, profile: Profile | None = None) -> xr.Dataset:
    """Global fit of ``km.n_exponentials`` exponentials (+ offset) convolved with the response.

    Starting time constants: :func:`kineticflow.trxs.config_observed.starting_time_constants`.

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.trxs.global_fit.global_fit`.
    """
    from kineticflow.trxs.pulses import effective_fwhm, measure_fwhm

    if km.pulse_shape == "measured":
        width = measure_fwhm(*effective_pulse(km, profile))
    else:
        width = effective_fwhm(float(km.fwhm_ps or 0.0), km.jitter * float(km.fwhm_ps or 0.0))
    start = starting_time_constants(km, obs["tau"].values, width)
    return global_fit(
        obs,
        start,
        fwhm_ps=km.fwhm_ps,
        jitter=km.jitter,
        pulse_profile=profile if km.pulse_shape == "measured" else None,
        offset=km.offset,
        t0_ps=km.t0_ps,
        fit_t0=km.fit_t0,
    )


def fit_diatomic(
    obs: xr.Dataset,
    km: KineticModel,
    base: DiatomicModel,
    kinetic_fit: KineticFit,
    profile: Profile | None = None,
    q_weight: ArrayLike | None = None,
) -> xr.Dataset:
    """Fit TRXS Eqs 3–6 convolved with the pulse to the observation, residuals divided by σ(q, τ).

    τ_r, τ_p, Δr_Y, r_Y, A = K n₀ and t₀ start from ``kinetic_fit.initial`` (t₀ held at
    ``km.t0_ps`` if not ``km.fit_t0``); r_X, a_X, a_Y held at ``base``
    (:class:`kineticflow.trxs.kinetic_fit.KineticForwardModel`, MINPACK through
    :func:`kineticflow.core.fitting.leastsq`, errors from the given σ).

    Returns
    -------
    xarray.Dataset
        ``value(parameter)``, ``stderr(parameter)`` (units in the attribute ``parameter_units``),
        ``correlation``; ``fit(q, tau)``, ``residual(q, tau)`` = (ΔS − fit)/σ; ``t0``,
        ``t0_stderr`` (ps), ``chi2_reduced``.
    """
    from kineticflow.core.fitting import leastsq
    from kineticflow.trxs.deconvolution import pulse_function
    from kineticflow.trxs.kinetic_fit import FIT_PARAMETERS, PARAMETER_UNITS, KineticForwardModel
    from kineticflow.trxs.pulses import measure_fwhm

    lags, intensity = effective_pulse(km, profile)
    obs = obs.transpose("q", "tau")
    tau, data, sigma = obs["tau"].values, obs["delta_s"].values.T, obs["sigma"].values.T
    forward = KineticForwardModel(
        q=obs["q"].values,
        tau=tau,
        pulse=pulse_function(lags, intensity),
        t_step_ps=kinetic_fit.t_step_ps,
        t_max_ps=float(tau.max() + kinetic_fit.pad_fwhm * measure_fwhm(lags, intensity)),
        base=base,
        q_weight=None if q_weight is None else np.asarray(q_weight, dtype=float),
    )

    def residual(values: dict[str, float]) -> NDArray[np.float64]:
        return ((data - forward(values)) / sigma).ravel()

    initial = dict(kinetic_fit.initial) | ({} if km.fit_t0 else {"t0_ps": km.t0_ps})
    res = leastsq(
        residual,
        FIT_PARAMETERS,
        initial,
        {"tau_r_ps": 1e-3, "tau_p_ps": 1e-3},
        {"t0_ps": km.fit_t0},
        scale_covar=False,
        max_nfev=kinetic_fit.max_nfev,
        tol=1e-10,
    )
    attrs = {
        "model": "diatomic",
        "parameter_units": ",".join(PARAMETER_UNITS[n] for n in FIT_PARAMETERS),
        "t0_free": int(km.fit_t0),
        "chi2": res.chisqr,
        "nfev": res.nfev,
        "converged": int(res.success),
        "optimizer_message": res.message,
    }
    return _diatomic_dataset(obs, res, forward(res.values).T, attrs)


def _diatomic_dataset(obs: xr.Dataset, res: Any, model: NDArray[np.float64], attrs: dict[str, Any]) -> xr.Dataset:
    """The dataset of :func:`fit_diatomic` (``res``: a :class:`kineticflow.core.fitting.FitResult`)."""
    from kineticflow.trxs.kinetic_fit import FIT_PARAMETERS

    names = list(FIT_PARAMETERS)
    unit = str(obs["delta_s"].attrs.get("units", "1"))
    corr = np.eye(len(names)) if res.correlation is None else res.correlation
    p, qt = "parameter", ("q", "tau")
    t0_err = res.stderr["t0_ps"] if attrs["t0_free"] else 0.0
    data = {
        "value": variable([res.values[n] for n in names], p, units="mixed", long_name="best-fit value"),
        "stderr": variable([res.stderr[n] for n in names], p, units="mixed", long_name="standard error (1 sigma)"),
        "correlation": variable(corr, (p, "parameter_b"), units="1", long_name="correlation of parameters"),
        "t0": variable(res.values["t0_ps"], (), units="ps", long_name="time zero t0", vary=attrs["t0_free"]),
        "t0_stderr": variable(t0_err, (), units="ps", long_name="standard error of t0 (0 when fixed)"),
        "chi2_reduced": variable(res.redchi, (), units="1", long_name="reduced chi-square"),
        "fit": variable(model, qt, units=unit, long_name="fitted Delta S(q, tau)"),
        "residual": variable(
            (obs["delta_s"].values - model) / obs["sigma"].values, qt, units="1", long_name="(Delta S - fit)/sigma"
        ),
    }
    coords = {
        "parameter": coord(p, names),
        "parameter_b": coord("parameter_b", names),
        "q": obs["q"],
        "tau": obs["tau"],
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


def fit_observation(
    obs: xr.Dataset,
    km: KineticModel,
    base: DiatomicModel,
    kinetic_fit: KineticFit,
    profile: Profile | None = None,
    q_weight: ArrayLike | None = None,
) -> xr.Dataset:
    """The global kinetic model ``km.model`` fitted to an observation, with its provenance.

    Parameters
    ----------
    obs : xarray.Dataset
        The contract.
    km : KineticModel
        Model, starting values and instrument response.
    base, kinetic_fit : DiatomicModel, KineticFit
        For ``diatomic`` only: the parameters held and the fit's grid, starting values and budget.
    profile : tuple of ndarray, optional
        The measured pulse profile (time in ps, intensity) for ``pulse_shape: measured``.
    q_weight : array_like, shape (n_q,), optional
        ``diatomic``: f_A(q)² when the signals are weighted.

    Returns
    -------
    xarray.Dataset
        :func:`fit_exponentials` or :func:`fit_diatomic`; attributes add the kinetic model and the
        observation's ``sample``, ``source_file``, ``source_file_sha256`` and ``reader``.
    """
    if km.model == "diatomic":
        ds = fit_diatomic(obs, km, base, kinetic_fit, profile, q_weight)
    else:
        ds = fit_exponentials(obs, km, profile)
    provenance = ("sample", "source_file", "source_file_sha256", "reader")
    ds.attrs.update({f"kinetic_model.{k}": _attr(v) for k, v in vars(km).items()})
    ds.attrs.update({k: obs.attrs[k] for k in provenance if k in obs.attrs})
    return ds


def _attr(value: Any) -> Any:
    """A netCDF attribute: None as "none", tuples as lists, booleans as 0/1."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return int(value)
    return list(value) if isinstance(value, tuple) else value


def kinetics_table(fit: xr.Dataset) -> pd.DataFrame:
    """The scalar results of :func:`fit_observation`: columns ``parameter, value, stderr, unit``.

    ``exponentials``: rows ``tau_1, tau_2, …`` (ps, ascending), ``t0``, ``chi2_reduced``
    (:func:`kineticflow.trxs.global_fit.global_fit_table`). ``diatomic``: ``tau_r, tau_p,
    delta_r_y, r_y, amplitude, t0``, ``chi2_reduced``. The stderr of a fixed t₀ and of χ²_red is NaN.
    """
    if fit.attrs.get("model") != "diatomic":
        return global_fit_table(fit)
    units = str(fit.attrs["parameter_units"]).split(",")
    rows = []
    for name, value, err, unit in zip(fit["parameter"].values, fit["value"].values, fit["stderr"].values, units):
        label = str(name).removesuffix("_ps")
        fixed = label == "t0" and not int(fit.attrs["t0_free"])
        rows.append((label, float(value), float("nan") if fixed else float(err), unit))
    rows.append(("chi2_reduced", float(fit["chi2_reduced"]), float("nan"), "1"))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def svd_table(svd: xr.Dataset) -> pd.DataFrame:
    """Singular values of ΔS/σ against the noise: columns ``index, singular_value, noise_edge, significant``.

    ``significant``: above the Tracy–Widom threshold at the SVD's level (attribute ``level``;
    :func:`kineticflow.core.svd.significance_threshold`), slightly above the edge √n_q + √n_τ.
    """
    s = svd["singular_value"].values
    return pd.DataFrame(
        {
            "index": svd["component"].values.astype(int),
            "singular_value": s,
            "noise_edge": np.full(s.size, float(svd["noise_edge"])),
            "significant": s > float(svd["threshold"]),
        }
    )
