"""Removal of the slit function from observed spectra (Tikhonov, λ by GCV) and its error against noise.

The same inversion the TRXS branch uses for its pulse (:mod:`kineticflow.core.regularisation`):
``A`` the slit function on the pixel grid (:func:`kineticflow.halpha.instrument.slit_matrix`), ``L``
the second difference. The error test needs a true spectrum, which only a simulation has; for an
observation the deconvolved spectra are kept and the error is NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core import regularisation as reg
from kineticflow.core.attrs import variable
from kineticflow.halpha.instrument import slit_matrix

#: Note of a truth-scored variable of an observation.
NO_TRUTH = "NaN: an observation has no true spectrum (only the simulation scores against its truth)"


def deconvolve_slit(
    spectra: NDArray[np.float64], dl: NDArray[np.float64], fwhm: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Remove the slit function from spectra by Tikhonov regularisation with λ from GCV.

    Same code as the TRXS pulse deconvolution (:mod:`kineticflow.core.regularisation`): ``A`` is the
    slit function on the pixel grid, ``L`` the second difference.

    .. math:: \hat s = \arg\min_s \|A s - d\|^2 + \lambda^2 \|L s\|^2

    Parameters
    ----------
    spectra : numpy.ndarray, shape (n_spectra, n)
        Observed spectra on the pixel grid ``dl``.
    dl : numpy.ndarray, shape (n,)
        Pixel centres [Å].
    fwhm : float
        Slit-function FWHM [Å].

    Returns
    -------
    tuple of numpy.ndarray
        Deconvolved spectra (n_spectra, n) and the GCV λ of each.
    """
    fact = reg.tikhonov_factorise(slit_matrix(dl, dl, fwhm), reg.second_difference_matrix(dl.size))
    lam_grid = reg.lambda_grid(fact, 80)
    out = np.empty_like(spectra)
    lams = np.empty(spectra.shape[0])
    for n, d in enumerate(spectra):
        lams[n] = reg.gcv_lambda(reg.lambda_scan(fact, d, lam_grid))
        out[n] = reg.tikhonov_solve(fact, d, lams[n])
    return out, lams


def deconvolution_errors(
    truth: NDArray[np.float64], dl: NDArray[np.float64], fwhm: float, noise: ArrayLike, seed: int
) -> NDArray[np.float64]:
    """Relative RMS error of the deconvolved spectrum vs the true one, for white noise σ / peak in ``noise``.

    Parameters
    ----------
    truth : numpy.ndarray, shape (n,)
        True spectrum on ``dl``.
    dl : numpy.ndarray, shape (n,)
        Pixel centres [Å].
    fwhm : float
        Slit-function FWHM [Å].
    noise : array_like, shape (k,)
        White-noise standard deviations in units of the peak of ``|truth|``.
    seed : int
        Seed of the noise.

    Returns
    -------
    numpy.ndarray, shape (k,)
        Relative RMS error per noise level.
    """
    a = slit_matrix(dl, dl, fwhm)
    rng = np.random.default_rng(seed)
    data = np.array(
        [
            a @ truth + s * np.max(np.abs(truth)) * rng.standard_normal(truth.size)
            for s in np.asarray(noise, dtype=float)
        ]
    )
    est, _ = deconvolve_slit(data, dl, fwhm)
    return np.array([reg.relative_rms_error(e, truth) for e in est])


def slit_deconvolution(
    obs: NDArray[np.float64],
    dl: NDArray[np.float64],
    fwhm: float,
    tracked: Sequence[tuple[str, int, int]],
    true_peak: NDArray[np.float64] | None,
    noise: NDArray[np.float64],
    seed: int,
) -> xr.Dataset:
    """Deconvolved spectra of the tracked pixels and the deconvolution error against noise.

    Parameters
    ----------
    obs : numpy.ndarray, shape (n_scan, n_y, n_x, n)
        Observed intensity [I_c].
    dl : numpy.ndarray, shape (n,)
        Pixel centres [Å].
    fwhm : float
        Slit-function FWHM [Å].
    tracked : sequence of (name, y, x)
        The tracked pixels.
    true_peak : numpy.ndarray, shape (n,), or None
        A true spectrum on ``dl`` (the first tracked pixel at its HXR peak) for the error test;
        None for an observation (the error is then NaN, with a note).
    noise : numpy.ndarray, shape (k,)
        White-noise σ / peak of the error test.
    seed : int
        Seed of that noise.

    Returns
    -------
    xarray.Dataset
        ``deconvolved(tracked, scan, wavelength)``, ``deconvolution_lambda(tracked, scan)``,
        ``deconvolution_error(noise)``.
    """
    pix = [(int(y), int(x)) for _, y, x in tracked]
    n_s = obs.shape[0]
    deconv, lams = deconvolve_slit(np.array([obs[s, y, x] for y, x in pix for s in range(n_s)]), dl, fwhm)
    err = np.full(noise.size, np.nan) if true_peak is None else deconvolution_errors(true_peak, dl, fwhm, noise, seed)
    dims = ("tracked", "scan", "wavelength")
    return xr.Dataset(
        {
            "deconvolved": variable(
                deconv.reshape(len(pix), n_s, -1), dims, units="1", long_name="slit function removed (Tikhonov, GCV)"
            ),
            "deconvolution_lambda": variable(
                lams.reshape(len(pix), n_s), dims[:2], units="1", long_name="GCV regularisation parameter"
            ),
            "deconvolution_error": variable(
                err,
                "noise",
                units="1",
                long_name="relative RMS error of the deconvolved vs true spectrum",
                **({"note": NO_TRUTH} if true_peak is None else {}),
            ),
        },
        coords={
            "tracked": variable(
                np.array([t[0] for t in tracked]), "tracked", units="1", long_name="tracked kernel pixel"
            ),
            "tracked_y": variable(np.array([p[0] for p in pix]), "tracked", units="pixel", long_name="tracked pixel y"),
            "tracked_x": variable(np.array([p[1] for p in pix]), "tracked", units="pixel", long_name="tracked pixel x"),
            "noise": variable(noise, "noise", units="1", long_name="white-noise sigma / peak of the true spectrum"),
        },
    )
