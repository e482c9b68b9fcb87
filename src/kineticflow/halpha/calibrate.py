"""Forward-model calibration of difference-spectrum bisector velocities.

The bisector of a difference spectrum ``I_flare(Δλ) − I_pre(Δλ)`` is pulled towards line centre when
the pre-impulsive profile is an absorption line at rest: its deepest part, at line centre, is
subtracted from the blue half of a redshifted emission profile, which raises the difference there and
moves the bisector blueward (about 6 km s⁻¹ for 40–60 km s⁻¹ in the default run).  Instead of a fixed
correction we model the measurement itself: with the P0 and F20
recovered for the pixel and scan, the grid profile ``I(Δλ; P0, F20)`` is shifted by a trial velocity
``v``, passed through the slit function and CCD sampling (``A``), and the observed pre-impulsive
spectrum ``I_pre`` is subtracted,

    D(v) = A · I(Δλ − λ0 v / c; P0, F20) − I_pre,

and the bisector of ``D(v)`` at the same levels and the same median over levels gives the response
``B(v)``.  The calibrated velocity solves ``B(v) = v_bisector`` on a velocity grid with linear
interpolation between its points.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import RegularGridInterpolator
from scipy.optimize import minimize

from kineticflow.halpha import lines
from kineticflow.halpha.instrument import slit_matrix


def median_bisector_velocity(
    delta_lambda: NDArray[np.float64], difference: NDArray[np.float64], levels: NDArray[np.float64]
) -> float:
    """Median over ``levels`` of the bisector velocity [km s⁻¹] of ``difference`` (NaN without a feature).

    The same estimator as :func:`kineticflow.halpha.measure.pixel_diagnostics` (``velocity_kms``).
    """
    bis = lines.velocity_from_shift(lines.bisector(delta_lambda, difference, levels))
    return float(np.nanmedian(bis)) if np.any(np.isfinite(bis)) else float("nan")


def bisector_response(
    dl_out: NDArray[np.float64],
    dl_in: NDArray[np.float64],
    profile: NDArray[np.float64],
    pre: NDArray[np.float64],
    slit: NDArray[np.float64],
    levels: ArrayLike,
    velocities: ArrayLike,
) -> NDArray[np.float64]:
    """Bisector velocity ``B(v)`` the measurement returns for a profile shifted by each trial ``v``.

    Parameters
    ----------
    dl_out : numpy.ndarray, shape (n,)
        CCD pixel offsets [Å].
    dl_in : numpy.ndarray, shape (m,)
        Offsets [Å] of the model profile.
    profile : numpy.ndarray, shape (m,)
        Unshifted flare profile at the recovered P0, F20 (units of the continuum).
    pre : numpy.ndarray, shape (n,)
        Observed pre-impulsive spectrum of the pixel on ``dl_out``.
    slit : numpy.ndarray, shape (n, m)
        Slit function and sampling matrix (``instrument.slit_matrix(dl_out, dl_in, fwhm)``).
    levels : array_like
        Bisector levels (fractions of the peak).
    velocities : array_like, shape (k,)
        Trial velocities [km s⁻¹], positive = redshift.

    Returns
    -------
    numpy.ndarray, shape (k,)
        Median bisector velocity [km s⁻¹] of ``slit @ shifted − pre`` for each trial velocity.
    """
    v = np.asarray(velocities, dtype=float)
    lev = np.asarray(levels, dtype=float)
    shifts = lines.shift_from_velocity(v)
    shifted = np.array([np.interp(dl_in - s, dl_in, profile) for s in shifts])
    spectra = shifted @ slit.T
    bis = lines.velocity_from_shift(lines.bisectors(dl_out, spectra - pre, lev))
    any_finite = np.any(np.isfinite(bis), axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: NaN, as median_bisector_velocity
        med = np.nanmedian(bis, axis=1)
    return np.where(any_finite, med, np.nan)


def invert_response(velocities: ArrayLike, response: ArrayLike, measured: float) -> float:
    """Velocity ``v`` with ``B(v) = measured``, by linear interpolation on the grid.

    Where ``B`` crosses ``measured`` more than once, the crossing nearest ``measured`` is taken; NaN
    when ``measured`` is not finite or outside the range of ``B``.

    Parameters
    ----------
    velocities : array_like, shape (k,)
        Increasing trial velocities [km s⁻¹].
    response : array_like, shape (k,)
        ``B(v)`` [km s⁻¹] (NaN allowed).
    measured : float
        Measured bisector velocity [km s⁻¹].

    Returns
    -------
    float
        Calibrated velocity [km s⁻¹].

    Examples
    --------
    >>> invert_response([0.0, 10.0, 20.0], [0.0, 8.0, 16.0], 12.0)
    15.0
    """
    v = np.asarray(velocities, dtype=float)
    b = np.asarray(response, dtype=float) - measured
    if not np.isfinite(measured):
        return float("nan")
    ok = np.isfinite(b[:-1]) & np.isfinite(b[1:]) & (np.sign(b[:-1]) != np.sign(b[1:]))
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        exact = np.flatnonzero(b == 0.0)
        return float(v[exact[0]]) if exact.size else float("nan")
    roots = v[idx] - b[idx] * (v[idx + 1] - v[idx]) / (b[idx + 1] - b[idx])
    return float(roots[np.argmin(np.abs(roots - measured))])


class VelocityCalibrator:
    """Bisector calibration of one pixel and scan against the profile grid (the measurement forward-modelled).

    ``calibrated`` takes the P0, F20 of the line diagnostics as a start, solves ``B(v) = v_bisector``,
    then alternately refits P0, F20 to the whole observed spectrum (least squares with Poisson errors: the best of
    an ``n_mesh²`` log mesh of grid profiles shifted by that ``v`` and passed through the slit function,
    polished by Nelder–Mead in log P0, log F20 on the grid's linear interpolation)
    and solves ``B(v) = v_bisector`` again with the refitted profile, until ``v`` changes by less than
    0.1 km s⁻¹ (at most 3 rounds).  Trial velocities −20 to
    120 km s⁻¹ in 10 km s⁻¹ steps for the first solution, 2 km s⁻¹ for the final one.
    """

    def __init__(
        self,
        grid: xr.Dataset,
        *,
        delta_wavelength: ArrayLike,
        slit_fwhm_a: float,
        continuum_counts: float,
        levels: ArrayLike,
        n_mesh: int = 15,
    ) -> None:
        """Set up the forward model of one observation.

        Parameters
        ----------
        grid : xarray.Dataset
            The profile grid (``intensity(p0, f20, wavelength)`` in units of I_c, ``delta_wavelength``).
        delta_wavelength : array_like, shape (n,)
            CCD pixel offsets [Å] of the observation.
        slit_fwhm_a : float
            FWHM of the slit function [Å].
        continuum_counts : float
            Counts at the continuum (Poisson weights of the refit).
        levels : array_like, shape (n_level,)
            Bisector levels of the measurement.
        n_mesh : int
            Points per axis of the log mesh that starts the refit.
        """
        self.dl_in = grid["delta_wavelength"].values.astype(np.float64)
        self.dl_out = np.asarray(delta_wavelength, dtype=np.float64)
        self.slit = slit_matrix(self.dl_out, self.dl_in, float(slit_fwhm_a))
        self.counts = float(continuum_counts)
        lp, lf = np.log10(grid.p0.values), np.log10(grid.f20.values)
        self.interp = RegularGridInterpolator((lp, lf), grid["intensity"].values)
        self.axes, self.values = (lp, lf), np.asarray(grid["intensity"].values, dtype=np.float64)
        mp, mf = np.meshgrid(np.linspace(lp[0], lp[-1], n_mesh), np.linspace(lf[0], lf[-1], n_mesh), indexing="ij")
        self.mesh = np.column_stack([mp.ravel(), mf.ravel()])
        self.mesh_profiles = self.interp(self.mesh)
        self.levels = np.asarray(levels, float)
        self.max_iterations = 3

    def profile(self, q: NDArray[np.float64]) -> NDArray[np.float64]:
        """Grid profile at ``q = (log10 P0, log10 F20)`` inside the grid, bilinear in the logs.

        The interpolation of ``self.interp`` (scipy's ``RegularGridInterpolator``, method "linear")
        written out for one point, term by term in scipy's order: the scipy call costs more than the
        arithmetic in the Nelder–Mead loop of :meth:`refit`.
        """
        corners, weights = [], []
        for axis, value in zip(self.axes, q, strict=True):
            i = int(np.clip(np.searchsorted(axis, value, side="right") - 1, 0, axis.size - 2))
            t = (value - axis[i]) / (axis[i + 1] - axis[i])
            corners.append(i)
            weights.append(t)
        (i, j), (t, u) = corners, weights
        v = self.values
        # the terms and their order as scipy's _evaluate_linear: equal results to the last bit
        return (
            v[i, j] * ((1 - t) * (1 - u))
            + v[i, j + 1] * ((1 - t) * u)
            + v[i + 1, j] * (t * (1 - u))
            + v[i + 1, j + 1] * (t * u)
        )

    def solve(self, p0: float, f20: float, pre: NDArray[np.float64], measured: float, step: float = 2.0) -> float:
        """Velocity [km s⁻¹] whose modelled bisector for the grid profile at (P0, F20) equals ``measured``.

        ``step`` [km s⁻¹] is the spacing of the trial velocities between −20 and 120 km s⁻¹.
        """
        profile = self.interp([[np.log10(p0), np.log10(f20)]])[0]
        trial = np.arange(-20.0, 120.0 + 1e-9, step)
        response = bisector_response(self.dl_out, self.dl_in, profile, pre, self.slit, self.levels, trial)
        return invert_response(trial, response, measured)

    def refit(
        self, spectrum: NDArray[np.float64], velocity: float, start: tuple[float, float] | None = None
    ) -> tuple[float, float]:
        """(P0, F20) whose grid profile, shifted by ``velocity`` and slit-convolved, best fits ``spectrum``.

        Nelder–Mead from ``start`` (P0, F20), or from the best mesh point when ``start`` is None.
        """
        x = self.dl_in - lines.shift_from_velocity(velocity)
        var = np.maximum(spectrum, 1.0 / self.counts) / self.counts
        if start is None:
            model = np.array([np.interp(x, self.dl_in, p) for p in self.mesh_profiles]) @ self.slit.T
            q0 = self.mesh[int(np.argmin(np.sum((model - spectrum) ** 2 / var, axis=1)))]
        else:
            q0 = np.log10(np.asarray(start, dtype=float))
        lo, hi = self.mesh.min(axis=0), self.mesh.max(axis=0)

        def chi2(q: NDArray[np.float64]) -> float:
            prof = self.profile(np.clip(q, lo, hi))
            return float(np.sum((self.slit @ np.interp(x, self.dl_in, prof) - spectrum) ** 2 / var))

        best = minimize(chi2, q0, method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-2})
        q = np.clip(best.x, lo, hi)
        return float(10 ** q[0]), float(10 ** q[1])

    def calibrated(
        self, p0: float, f20: float, pre: NDArray[np.float64], spectrum: NDArray[np.float64], measured: float
    ) -> tuple[float, float, float]:
        """Calibrated velocity [km s⁻¹] and the refitted (P0, F20); NaNs when an input is NaN or no root exists.

        Parameters
        ----------
        p0, f20 : float
            Starting P0 [dyn cm⁻²] and F20 [erg cm⁻² s⁻¹] (from the line diagnostics).
        pre, spectrum : numpy.ndarray, shape (n,)
            Observed pre-impulsive and flare spectra of the pixel on the CCD grid (units of the continuum).
        measured : float
            Measured median bisector velocity [km s⁻¹] of ``spectrum − pre``.

        Returns
        -------
        tuple of float
            ``(v, P0, F20)`` used for the final solution.
        """
        nan = float("nan")
        if not (np.isfinite(p0) and np.isfinite(f20) and np.isfinite(measured)):
            return nan, nan, nan
        v = self.solve(p0, f20, pre, measured, step=10.0)
        if not np.isfinite(v):
            return nan, nan, nan
        start = None
        for _ in range(self.max_iterations):
            p0, f20 = start = self.refit(spectrum, v, start)
            v_new = self.solve(p0, f20, pre, measured)
            if not np.isfinite(v_new) or abs(v_new - v) < 0.1:
                break
            v = v_new
        return v_new, p0, f20
