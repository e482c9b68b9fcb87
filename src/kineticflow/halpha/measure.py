"""Line diagnostics of the observation: difference spectra, bisectors, reversal depth, wings, core width.

Everything here reads only the observation (:mod:`kineticflow.halpha.instrument`, its docstring has
the contract) and explicit parameters: the diagnostics of R. C. Canfield et al., optical imaging
spectroscopy of solar flares, Sects. IV–V (difference spectra against the pre-impulsive scan 0,
bisectors after Canfield, Gunkler & Kiplinger 1985). The slit function is removed by the same
Tikhonov/GCV inversion the TRXS branch uses for its pulse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.halpha import lines
from kineticflow.halpha.config import Measure
from kineticflow.halpha.deconvolution import slit_deconvolution
from kineticflow.halpha.instrument import difference_stderr
from kineticflow.halpha.observation_contract import PROVENANCE_ATTRS

#: Half-width [Å] about line centre in which the excess peak is searched.
PEAK_WINDOW_A = 2.5


def pixel_diagnostics(
    dl: NDArray[np.float64],
    spec: NDArray[np.float64],
    pre: NDArray[np.float64],
    sigma: NDArray[np.float64],
    *,
    levels: NDArray[np.float64],
    min_excess_sigma: float,
    wing_threshold: float,
) -> dict[str, Any]:
    """Diagnostics of one observed spectrum against its pre-impulsive spectrum.

    Parameters
    ----------
    dl : numpy.ndarray, shape (n,)
        Offsets [Å].
    spec, pre, sigma : numpy.ndarray, shape (n,)
        Spectrum, pre-impulsive spectrum and the standard error of their difference (continuum units).
    levels : numpy.ndarray, shape (n_level,)
        Bisector levels, fractions of the excess peak.
    min_excess_sigma : float
        Excess peak (in ``sigma``) below which the pixel is not measured.
    wing_threshold : float
        Excess level [I_c] that defines the wing extent.

    Returns
    -------
    dict
        ``bisector_kms`` (per level), ``velocity_kms`` (median over levels), ``reversal_depth``,
        ``wing_extent_a``, ``core_fwhm_a``, ``line_centre``, ``peak_excess``, ``rest_centre``; NaN
        where the excess is not significant.

    References
    ----------
    R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sects. IV (wings) and V
    (bisectors, Fig. 5); Canfield, Gunkler & Kiplinger (1985) for the bisector method.
    """
    diff = spec - pre
    centre = float(np.interp(0.0, dl, spec))
    k = int(np.argmax(np.where(np.abs(dl) <= PEAK_WINDOW_A, diff, -np.inf)))
    out: dict[str, Any] = {
        "bisector_kms": np.full(levels.size, np.nan),
        "velocity_kms": np.nan,
        "reversal_depth": np.nan,
        "wing_extent_a": np.nan,
        "core_fwhm_a": np.nan,
        "line_centre": centre,
        "peak_excess": float(diff[k]),
        "rest_centre": np.nan,
    }
    if not diff[k] < float(min_excess_sigma) * sigma[k]:  # significant excess
        out.update(_line_shape(dl, spec, diff, levels, wing_threshold))
    return out


def _line_shape(
    dl: NDArray[np.float64],
    spec: NDArray[np.float64],
    diff: NDArray[np.float64],
    levels: NDArray[np.float64],
    wing_threshold: float,
) -> dict[str, Any]:
    """Bisectors, their median velocity, and reversal, wings and core width of the Doppler-corrected line."""
    out: dict[str, Any] = {}
    bis = lines.velocity_from_shift(lines.bisector(dl, diff, levels))
    out["bisector_kms"] = bis
    v = float(np.nanmedian(bis)) if np.any(np.isfinite(bis)) else 0.0
    out["velocity_kms"] = v if np.any(np.isfinite(bis)) else np.nan
    rest = np.interp(dl + lines.shift_from_velocity(v), dl, spec)
    out["reversal_depth"] = lines.central_reversal_depth(dl, rest)
    out["rest_centre"] = float(np.interp(0.0, dl, rest))
    out["wing_extent_a"] = lines.wing_extent(
        dl, np.interp(dl + lines.shift_from_velocity(v), dl, diff), float(wing_threshold)
    )
    out["core_fwhm_a"] = lines.core_fwhm(dl, diff)
    return out


#: Scalar keys of :func:`pixel_diagnostics` kept on (scan, y, x).
NAMES = ("velocity_kms", "reversal_depth", "wing_extent_a", "core_fwhm_a", "line_centre", "peak_excess", "rest_centre")


def diagnostics_cube(
    dl: NDArray[np.float64],
    obs: NDArray[np.float64],
    *,
    continuum_counts: float,
    levels: NDArray[np.float64],
    min_excess_sigma: float,
    wing_threshold: float,
    significant: NDArray[np.bool_] | None = None,
) -> tuple[dict[str, NDArray[np.float64]], NDArray[np.float64]]:
    """:func:`pixel_diagnostics` of every (scan, y, x) against scan 0.

    Parameters
    ----------
    dl : numpy.ndarray, shape (n,)
        Offsets [Å].
    obs : numpy.ndarray, shape (n_scan, n_y, n_x, n)
        Observed intensity [I_c]; scan 0 is the pre-impulsive reference.
    continuum_counts : float
        Counts at the continuum (the counting noise of the difference, :func:`instrument.difference_stderr`).
    levels, min_excess_sigma, wing_threshold
        As in :func:`pixel_diagnostics`.
    significant : numpy.ndarray of bool, shape (n_scan, n_y, n_x), optional
        Forces which pixels are measured (the noise-free self-check measures the noisy run's pixels).

    Returns
    -------
    tuple
        ``{name: array (n_scan, n_y, n_x)}`` for :data:`NAMES` and the bisector velocities
        (n_scan, n_y, n_x, n_level) [km s⁻¹].
    """
    n_s, n_y, n_x, _ = obs.shape
    res = {k: np.full((n_s, n_y, n_x), np.nan) for k in NAMES}
    bis = np.full((n_s, n_y, n_x, levels.size), np.nan)
    pre = obs[0]
    for s, iy, ix in np.ndindex(n_s, n_y, n_x):
        sigma = difference_stderr(obs[s, iy, ix], pre[iy, ix], continuum_counts)
        if significant is not None:
            sigma = np.zeros_like(sigma) if significant[s, iy, ix] else np.full_like(sigma, np.inf)
        d = pixel_diagnostics(
            dl,
            obs[s, iy, ix],
            pre[iy, ix],
            sigma,
            levels=levels,
            min_excess_sigma=min_excess_sigma,
            wing_threshold=wing_threshold,
        )
        for k in NAMES:
            res[k][s, iy, ix] = d[k]
        bis[s, iy, ix] = d["bisector_kms"]
    return res, bis


#: ``source`` of the bisector velocities.
BISECTOR_SOURCE = (
    "Canfield, Gunkler & Kiplinger (1985); R. C. Canfield et al., optical imaging spectroscopy of solar flares, "
    "Sect. V, Fig. 5"
)

#: diagnostics.nc variable -> (key of :func:`pixel_diagnostics`, units, long name)
DIAGNOSTICS = {
    "velocity": ("velocity_kms", "km s-1", "median bisector velocity over levels, positive = redshift"),
    "reversal_depth": ("reversal_depth", "1", "central reversal depth 1 - I_core/I_peak, Doppler-corrected"),
    "wing_extent": ("wing_extent_a", "angstrom", "half-width where the excess drops below the wing threshold"),
    "core_fwhm": ("core_fwhm_a", "angstrom", "FWHM of the excess emission"),
    "line_centre_intensity": ("line_centre", "1", "observed intensity at the rest wavelength / I_c"),
    "rest_centre_intensity": ("rest_centre", "1", "line-centre intensity after removing the bisector shift / I_c"),
    "peak_excess": ("peak_excess", "1", "peak of the difference spectrum within 2.5 A / I_c"),
}

#: Variables of diagnostics.nc that hold NaN where a pixel is not measured.
MAY_BE_NAN = (
    "bisector_velocity",
    "velocity",
    "velocity_noise_free",
    "reversal_depth",
    "wing_extent",
    "core_fwhm",
    "rest_centre_intensity",
)
#: ... and, of an observation, where only a simulation has a value (noise-free intensity, truth).
MAY_BE_NAN_OBSERVED = (*MAY_BE_NAN, "deconvolution_error")


def diagnostics_dataset(
    observed: xr.Dataset,
    res: dict[str, NDArray[np.float64]],
    bis: NDArray[np.float64],
    velocity_noise_free: NDArray[np.float64],
    levels: NDArray[np.float64],
) -> xr.Dataset:
    """The diagnostics of :func:`diagnostics_cube` as a dataset on the observation's coordinates.

    Parameters
    ----------
    observed : xarray.Dataset
        The observation (``intensity``; scan 0 is the pre-impulsive reference).
    res, bis : dict, numpy.ndarray
        Output of :func:`diagnostics_cube` on the observation.
    velocity_noise_free : numpy.ndarray, shape (n_scan, n_y, n_x)
        Bisector velocity [km s⁻¹] of the noise-free observation (the simulation's self-check).
    levels : numpy.ndarray, shape (n_level,)
        Bisector levels.

    Returns
    -------
    xarray.Dataset
        :data:`DIAGNOSTICS` on (scan, y, x), ``bisector_velocity`` on (scan, y, x, level), the
        difference spectra and the pre-impulsive spectrum.
    """
    obs = observed["intensity"].values.astype(np.float64)
    d3 = ("scan", "y", "x")
    data = {
        name: variable(res[key], d3, units=units, long_name=long_name)
        for name, (key, units, long_name) in DIAGNOSTICS.items()
    }
    data["core_fwhm"].attrs["width_convention"] = "FWHM"
    data["velocity"].attrs["source"] = BISECTOR_SOURCE
    data["velocity_noise_free"] = variable(
        velocity_noise_free, d3, units="km s-1", long_name="bisector velocity of the noise-free observation"
    )
    data["bisector_velocity"] = variable(
        bis, (*d3, "level"), units="km s-1", long_name="bisector velocity of the excess, + = redshift"
    )
    data["bisector_velocity"].attrs["source"] = BISECTOR_SOURCE
    data["difference"] = variable(
        (obs - obs[0][None]).astype(np.float32),
        (*d3, "wavelength"),
        units="1",
        long_name="difference spectrum vs the pre-impulsive scan / I_c",
    )
    data["pre_impulsive"] = variable(
        obs[0].astype(np.float32),
        ("y", "x", "wavelength"),
        units="1",
        long_name="observed pre-impulsive spectrum (scan 0) / I_c",
    )
    ds = xr.Dataset(data, coords={k: observed[k] for k in ("scan", "y", "x", "t_s", "wavelength", "delta_wavelength")})
    return ds.assign_coords(level=xr.DataArray(levels, dims="level", attrs=dim_attrs("level")))


def line_diagnostics(
    observed: xr.Dataset,
    *,
    measure: Measure,
    tracked: Sequence[tuple[str, int, int]],
    true_peak: NDArray[np.float64] | None = None,
    seed: int = 0,
) -> xr.Dataset:
    """Every diagnostic of an observation (the contract): the body of rules ``measure_lines`` and ``measure_observed_lines``.

    Parameters
    ----------
    observed : xarray.Dataset
        The observation (checked by the caller); ``expected_intensity`` (a simulation's noise-free
        intensity), when present, gives ``velocity_noise_free``, else that is NaN with a note.
    measure : Measure
        ``bisector_levels``, ``min_excess_sigma``, ``wing_threshold``, ``deconvolution_noise``.
    tracked : sequence of (name, y, x)
        Pixels whose spectra are deconvolved.
    true_peak : numpy.ndarray, shape (n_wavelength,), optional
        A true spectrum for the deconvolution error test (simulation only; else NaN).
    seed : int
        Seed of that test's noise.

    Returns
    -------
    xarray.Dataset
        :func:`diagnostics_dataset` merged with :func:`kineticflow.halpha.deconvolution.slit_deconvolution`;
        attributes: the observation's ``slit_fwhm_a``, ``continuum_counts`` and provenance.
    """
    n_c, fwhm = float(observed.attrs["continuum_counts"]), float(observed.attrs["slit_fwhm_a"])
    levels = np.asarray(measure.bisector_levels, float)
    kw: dict[str, Any] = {
        "levels": levels,
        "min_excess_sigma": measure.min_excess_sigma,
        "wing_threshold": measure.wing_threshold,
    }
    dl = observed["delta_wavelength"].values
    obs = observed["intensity"].values.astype(np.float64)
    res, bis = diagnostics_cube(dl, obs, continuum_counts=n_c, **kw)
    if "expected_intensity" in observed:
        expected = observed["expected_intensity"].values.astype(np.float64)
        clean, _ = diagnostics_cube(
            dl, expected, continuum_counts=n_c, significant=np.isfinite(res["velocity_kms"]), **kw
        )
        v_clean = clean["velocity_kms"]
    else:
        v_clean = np.full_like(res["velocity_kms"], np.nan)
    ds = diagnostics_dataset(observed, res, bis, v_clean, levels)
    if "expected_intensity" not in observed:
        ds["velocity_noise_free"].attrs["note"] = "NaN: an observation has no noise-free intensity (a simulation has)"
    noise = np.asarray(measure.deconvolution_noise, float)
    ds = xr.merge(
        [ds, slit_deconvolution(obs, dl, fwhm, tracked, true_peak, noise, int(seed))], combine_attrs="drop_conflicts"
    )
    ds.attrs.update(
        wing_threshold=float(measure.wing_threshold),
        velocity_sign="positive = redshift = downflow",
        width_convention="FWHM",
        slit_fwhm_a=fwhm,
        continuum_counts=n_c,
        source=BISECTOR_SOURCE,
        **{k: observed.attrs[k] for k in PROVENANCE_ATTRS if k in observed.attrs},
    )
    return ds
