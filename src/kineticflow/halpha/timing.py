"""Timing of the Hα diagnostics: redshift decay times and correlations with the hard X-ray rate.

R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. V, Figs 3 and 5: the
redshift decays after each HXR spike, and the wing extent follows the HXR rate at each pixel's own
exposure time. The tracked pixels are the simulated flare's kernels (:func:`tracks_of_flare`, with
the injected decay times) or an observation's configured kernels (:func:`tracks_of_observation`,
no truth); the HXR rate is the simulated light curve or a measured one
(:func:`kineticflow.halpha.hxr_curve.rate_at`). Results: ``fits.nc`` and ``fits.csv``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import variable
from kineticflow.core.fitting import FitError, weighted_fit
from kineticflow.halpha.config import Flare, Measure
from kineticflow.halpha.observed_config import Observation

#: velocity column of recovered.csv whose redshift decay time is ``tau_fit`` (the raw one is ``tau_fit_bisector``)
DECAY_VELOCITY = "v_recovered_kms"
#: Diagnostics of recovered.csv correlated with the HXR rate (the ``quantity`` axis of fits.nc).
QUANTITIES = ("wing_extent_a", "v_bisector_kms", "v_recovered_kms", "line_centre")
#: A count rate [count s⁻¹] as a function of time [s] (None: no HXR light curve).
Rate = Callable[[NDArray[np.float64]], NDArray[np.float64]]
#: Note of a truth-scored variable of an observation.
NO_TRUTH = "NaN: an observation has no truth (only the simulation scores against injected values)"


class Track(NamedTuple):
    """A tracked pixel: name, centre (y, x), start times [s] of its redshift episodes and their true decay times [s]."""

    name: str
    y: int
    x: int
    episode_times_s: tuple[float, ...]
    tau_true_s: tuple[float, ...]


def tracks_of_flare(flare: Flare) -> tuple[Track, ...]:
    """The simulated kernels' centres with their injected episodes."""
    return tuple(Track(k.name, k.y, k.x, k.episodes.times_s, k.episodes.decay_s) for k in flare.kernels)


def tracks_of_observation(observation: Observation) -> tuple[Track, ...]:
    """An observation's configured kernels; the true decay times are unknown (NaN)."""
    return tuple(
        Track(k.name, k.y, k.x, k.episode_times_s, (float("nan"),) * len(k.episode_times_s))
        for k in observation.kernels
    )


def _decay(t: NDArray[np.float64], amplitude: float, tau: float) -> NDArray[np.float64]:
    return amplitude * np.exp(-t / tau)


def decay_fits(
    table: pd.DataFrame, *, tracks: Sequence[Track], velocity_sigma_kms: float, column: str = DECAY_VELOCITY
) -> list[dict[str, Any]]:
    r"""Exponential decay time of the redshift ``column`` in each episode of each tracked pixel (lmfit).

    .. math:: v(t) = A \exp(-(t - t_k) / \tau), \quad t_k + 2\,\mathrm{s} \le t < t_{k+1}

    Returns
    -------
    list of dict
        Per tracked pixel and episode: ``tau_fit_s`` and its ``tau_stderr_s`` (NaN with fewer than 3
        points or a failed fit), the injected ``tau_true_s`` (NaN for an observation) and the number
        of points.
    """
    out = []
    sigma = float(velocity_sigma_kms)
    for k in tracks:
        sel = table[(table.y == int(k.y)) & (table.x == int(k.x))]
        starts = list(k.episode_times_s) + [np.inf]
        for n in range(len(starts) - 1):
            ep = sel[(sel.t_s >= starts[n] + 2.0) & (sel.t_s < starts[n + 1])].dropna(subset=[column])
            tau = stderr = np.nan
            if len(ep) >= 3:
                try:
                    fit = weighted_fit(
                        _decay,
                        ep.t_s.values - starts[n],
                        ep[column].values,
                        np.full(len(ep), sigma),
                        {"amplitude": float(ep[column].values[0]), "tau": 40.0},
                        independent="t",
                        bounds={"tau": (1.0, 1e3)},
                    )
                    tau, stderr = fit.values["tau"], fit.stderr["tau"]
                except FitError:
                    pass
            out.append(
                {
                    "kernel": k.name,
                    "episode": n,
                    "t_start_s": starts[n],
                    "tau_true_s": float(k.tau_true_s[n]),
                    "tau_fit_s": tau,
                    "tau_stderr_s": stderr,
                    "n_points": len(ep),
                }
            )
    return out


def _pearson(y: NDArray[np.float64], rate: NDArray[np.float64]) -> float:
    """Pearson r of ``y`` with ``rate`` over the points where the rate is known (NaN with fewer than 3)."""
    if np.all(np.isfinite(rate)):
        return float(np.corrcoef(y, rate)[0, 1])
    ok = np.isfinite(rate)
    return float(np.corrcoef(y[ok], rate[ok])[0, 1]) if ok.sum() >= 3 else float("nan")


def hxr_correlation(
    table: pd.DataFrame, column: str, rate: Rate | None, max_lag_s: float = 30.0
) -> tuple[float, float, float]:
    """Pearson r of ``column`` with the HXR rate at each pixel's own time, and the best lag.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of one tracked pixel (``t_s`` [s] and ``column``).
    column : str
        The diagnostic.
    rate : callable or None
        HXR count rate at given times (NaN outside a measured curve: those points are left out);
        None without a light curve.
    max_lag_s : float
        Lags searched, ``±max_lag_s`` in 1 s steps.

    Returns
    -------
    tuple of float
        ``(r at zero lag, lag [s] of the maximum r, that maximum r)``; a positive lag means the
        quantity follows the HXR rate. NaN without a rate or with fewer than 3 points.
    """
    ok = table.dropna(subset=[column])
    if rate is None or len(ok) < 3:
        return float("nan"), float("nan"), float("nan")
    t, y = ok.t_s.values, ok[column].values
    lags = np.arange(-max_lag_s, max_lag_s + 0.5, 1.0)
    r = np.array([_pearson(y, rate(t - lag)) for lag in lags])
    r0 = float(r[np.argmin(np.abs(lags))])
    if not np.any(np.isfinite(r)):
        return r0, float("nan"), float("nan")
    return r0, float(lags[int(np.nanargmax(r))]), float(np.nanmax(r))


def correlations(
    table: pd.DataFrame, tracks: Sequence[Track], rate: Rate | None, quantities: Sequence[str] = QUANTITIES
) -> NDArray[Any]:
    """:func:`hxr_correlation` of each quantity at each tracked pixel, shape (tracked, quantity, 3)."""
    per_track = [
        [hxr_correlation(table[(table.y == int(k.y)) & (table.x == int(k.x))], q, rate) for q in quantities]
        for k in tracks
    ]
    return np.array(per_track, dtype=float).reshape(len(tracks), len(quantities), 3)


def velocity_cube(table: pd.DataFrame, diag: xr.Dataset) -> xr.DataArray:
    """``v_recovered_kms`` of the table on (scan, y, x); NaN outside the kernels, in scan 0 and where not measured."""
    cube = np.full((diag.sizes["scan"], diag.sizes["y"], diag.sizes["x"]), np.nan)
    cube[table.scan.values, table.y.values, table.x.values] = table.v_recovered_kms.values
    return variable(
        cube,
        ("scan", "y", "x"),
        units="km s-1",
        long_name="calibrated bisector velocity (forward-modelled difference-spectrum bisector), positive = redshift",
    )


#: scalar velocity summaries of fits.nc: name -> long name (NaN when no pixel is in the band)
VELOCITY_SUMMARY = {
    "velocity_bias_median": "median v_bisector - v_true in the band",
    "velocity_bias_worst": "largest |v_bisector - v_true| in the band",
    "velocity_noise_median": "median |v_bisector - v_noise_free| in the band",
    "velocity_noise_worst": "largest |v_bisector - v_noise_free| in the band",
    "recovered_error_median": "median |v_recovered - v_true| in the band (calibrated bisector)",
    "recovered_error_worst": "largest |v_recovered - v_true| in the band (calibrated bisector)",
}
#: Variables of fits.nc that hold NaN where a fit failed or nothing was measured.
MAY_BE_NAN = (
    "tau_fit",
    "tau_stderr",
    "tau_fit_bisector",
    "tau_stderr_bisector",
    "velocity_recovered",
    *VELOCITY_SUMMARY,
)
#: ... and, of an observation, the truth-scored and HXR variables (no truth; maybe no light curve).
MAY_BE_NAN_OBSERVED = (*MAY_BE_NAN, "tau_true", "r_zero_lag", "best_lag", "r_best")


def velocity_summary(table: pd.DataFrame, v_min: float) -> dict[str, xr.DataArray]:
    """Bias (vs truth) and photon-noise error (vs the noise-free observation) for v_min <= v_true <= 60 km/s."""
    band = table[(table.v_true_kms >= v_min) & (table.v_true_kms <= 60.0)]
    bias = band.v_bisector_kms - band.v_true_kms
    noise = (band.v_bisector_kms - band.v_noise_free_kms).abs()
    err = band.v_recovered_kms - band.v_true_kms
    values = {
        "recovered_error_median": float(err.abs().median()),
        "recovered_error_worst": float(err.abs().max()),
        "velocity_bias_median": float(bias.median()),
        "velocity_bias_worst": float(bias.abs().max()),
        "velocity_noise_median": float(noise.median()),
        "velocity_noise_worst": float(noise.max()),
    }
    return {k: variable(v, (), units="km s-1", long_name=VELOCITY_SUMMARY[k]) for k, v in values.items()}


def _tau_variables(decays: pd.DataFrame, raw: pd.DataFrame) -> dict[str, xr.DataArray]:
    """Decay times of the calibrated (``tau_fit``) and raw (``tau_fit_bisector``) velocities, on ``episode``."""
    ep = "episode"
    return {
        "tau_fit": variable(
            decays.tau_fit_s.values, ep, units="s", long_name=f"fitted redshift decay time (of {DECAY_VELOCITY})"
        ),
        "tau_stderr": variable(
            decays.tau_stderr_s.values, ep, units="s", long_name="standard error of tau_fit (lmfit, 1 sigma)"
        ),
        "tau_fit_bisector": variable(
            raw.tau_fit_s.values, ep, units="s", long_name="decay time fitted to the raw bisector velocity"
        ),
        "tau_stderr_bisector": variable(
            raw.tau_stderr_s.values, ep, units="s", long_name="standard error of tau_fit_bisector (lmfit, 1 sigma)"
        ),
        "tau_true": variable(decays.tau_true_s.values, ep, units="s", long_name="injected redshift decay time"),
    }


#: ``source`` of the fits.
FITS_SOURCE = "R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. V, Figs 3 and 5"


def _correlation_variables(corr: NDArray[np.float64]) -> dict[str, xr.DataArray]:
    """``r_zero_lag``, ``best_lag``, ``r_best`` on (tracked, quantity) from :func:`correlations`."""
    dims = ("tracked", "quantity")
    return {
        "r_zero_lag": variable(
            corr[..., 0], dims, units="1", long_name="Pearson r with the HXR rate at the pixel's own times"
        ),
        "best_lag": variable(
            corr[..., 1], dims, units="s", long_name="lag of the maximum correlation (positive: follows HXR)"
        ),
        "r_best": variable(corr[..., 2], dims, units="1", long_name="maximum Pearson r over lags"),
    }


def fits_dataset(
    table: pd.DataFrame,
    diag: xr.Dataset,
    *,
    tracks: Sequence[Track],
    rate: Rate | None,
    measure: Measure,
    observed: bool = False,
) -> xr.Dataset:
    """Decay times of the calibrated and raw velocities, HXR correlations and the velocity summaries.

    Parameters
    ----------
    table : pandas.DataFrame
        ``recovered.csv``.
    diag : xarray.Dataset
        ``diagnostics.nc`` (its scan, y, x).
    tracks : sequence of Track
        The tracked pixels and their episodes.
    rate : callable or None
        The HXR count rate at given times [count s⁻¹]; None: the correlations are NaN.
    measure : Measure
        ``velocity_sigma_kms`` and ``strong_redshift_kms``.
    observed : bool
        An observation: the truth-scored variables (``tau_true``, the velocity summaries) are NaN
        and carry a ``note``.

    Returns
    -------
    xarray.Dataset
        ``tau_fit``, ``tau_stderr``, ``tau_fit_bisector``, ``tau_stderr_bisector``, ``tau_true`` on
        ``episode``; ``r_zero_lag``, ``best_lag``, ``r_best`` on (tracked, quantity); the scalar
        :data:`VELOCITY_SUMMARY`; ``velocity_recovered`` on (scan, y, x).
    """
    sigma = measure.velocity_sigma_kms
    decays = pd.DataFrame(decay_fits(table, tracks=tracks, velocity_sigma_kms=sigma))
    raw = pd.DataFrame(decay_fits(table, tracks=tracks, velocity_sigma_kms=sigma, column="v_bisector_kms"))
    ep = "episode"
    ds = xr.Dataset(
        {
            **_tau_variables(decays, raw),
            **_correlation_variables(correlations(table, tracks, rate)),
            **velocity_summary(table, float(measure.strong_redshift_kms)),
            "velocity_recovered": velocity_cube(table, diag),
        },
        coords={
            **{k: diag[k] for k in ("scan", "y", "x")},
            "episode": variable(np.arange(len(decays)), ep, units="1", long_name="redshift episode"),
            "kernel": variable(decays.kernel.values.astype(str), ep, units="1", long_name="kernel of the episode"),
            "tracked": variable(
                np.array([k.name for k in tracks]),
                "tracked",
                units="1",
                long_name="tracked kernel pixel (kernel centre)",
            ),
            "quantity": variable(
                np.array(QUANTITIES), "quantity", units="1", long_name="diagnostic correlated with HXR"
            ),
        },
        attrs={"source": FITS_SOURCE},
    )
    if observed:
        for name in ("tau_true", *VELOCITY_SUMMARY):
            ds[name].attrs["note"] = NO_TRUTH
    if rate is None:
        for name in ("r_zero_lag", "best_lag", "r_best"):
            ds[name].attrs["note"] = "NaN: no hard X-ray light curve configured (halpha.observations.<name>.hxr)"
    return ds


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """One tidy table of the fits: a row per decay episode and per (tracked pixel, HXR correlation)."""
    rows: list[dict[str, Any]] = []
    for i in range(fits.sizes["episode"]):
        rows.append(
            {
                "kind": "redshift decay",
                "pixel": str(fits.kernel.values[i]),
                "item": f"episode {i}",
                "true": float(fits.tau_true.values[i]),
                "value": float(fits.tau_fit.values[i]),
                "stderr": float(fits.tau_stderr.values[i]),
                "unit": "s",
            }
        )
    for n, name in enumerate(fits.tracked.values):
        for q, quantity in enumerate(fits.quantity.values):
            rows.append(
                {
                    "kind": "correlation with HXR",
                    "pixel": str(name),
                    "item": str(quantity),
                    "r_zero_lag": float(fits.r_zero_lag.values[n, q]),
                    "value": float(fits.r_best.values[n, q]),
                    "lag_s": float(fits.best_lag.values[n, q]),
                    "unit": "1",
                }
            )
    for name in VELOCITY_SUMMARY:
        rows.append(
            {"kind": "bisector velocity 40-60 km/s", "item": name, "value": float(fits[name]), "unit": "km s-1"}
        )
    return pd.DataFrame(rows)


def peak_scan(hxr_at_pixel: NDArray[np.float64] | None, diag: xr.Dataset) -> int:
    """The scan nearest the HXR peak (largest rate at any slit position); without rates, the largest excess.

    Parameters
    ----------
    hxr_at_pixel : numpy.ndarray, shape (n_scan, n_x), or None
        HXR rate at each exposure (NaN outside a measured curve).
    diag : xarray.Dataset
        ``diagnostics.nc`` (``peak_excess``), used without rates.
    """
    if hxr_at_pixel is not None and np.all(np.isfinite(hxr_at_pixel)):
        return int(np.argmax(hxr_at_pixel.max(axis=1)))
    if hxr_at_pixel is not None and np.any(np.isfinite(hxr_at_pixel)):
        per_scan = np.array([np.max(row[np.isfinite(row)], initial=-np.inf) for row in hxr_at_pixel])
        return int(np.argmax(per_scan))
    excess = diag["peak_excess"].values.reshape(diag.sizes["scan"], -1)
    return int(np.argmax(np.nanmax(excess, axis=1)))
