"""One function per rule of ``workflow/rules/halpha.smk``, named as the rule.

Each takes datasets (or tables) and explicit keyword parameters (frozen dataclasses of
:mod:`kineticflow.halpha.config`) and returns what the rule writes; the scripts in
``workflow/scripts/halpha/`` only read, call and write. The chain:

``synthesise_profiles`` → ``collect_profiles`` (the theory) → ``simulate_flare`` (the Sun) →
``observe_slit_scan`` (the instrument; its product is the observation, the boundary documented in
:mod:`kineticflow.halpha.instrument`) → ``measure_lines`` → ``infer_parameters`` (the analysis) →
``plot_halpha``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.core.noise import stable_seed
from kineticflow.halpha import flare as flare_model
from kineticflow.halpha import infer, nlte, plots, profiles
from kineticflow.halpha import instrument as spectrograph
from kineticflow.halpha import measure as line_measure
from kineticflow.halpha.config import Beam, Flare, Instrument, Measure, Scan, Solver, Synthesis


def synthesise_profiles(
    p0: float, f20: float, *, synthesis: Synthesis, beam: Beam, solver: Solver, n_threads: int = 1
) -> xr.Dataset:
    """One NLTE Hα profile and its atmosphere for ``(P0, F20)``; ``P0 = 0`` is FAL-C itself.

    Parameters
    ----------
    p0 : float
        Coronal pressure [dyn cm⁻²] (0: unshifted FAL-C, the quiet-Sun reference).
    f20 : float
        Beam energy flux above 20 keV [erg cm⁻² s⁻¹] (0: no beam).
    synthesis, beam, solver : Synthesis, Beam, Solver
        Wavelength grid, beam and Lightweaver limits.
    n_threads : int
        Threads for Lightweaver's formal solution.

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.halpha.profiles.profile_dataset`.

    Raises
    ------
    kineticflow.halpha.nlte.NotConvergedError
        If Lightweaver does not converge (nothing is returned).
    """
    dl = profiles.profile_offsets(synthesis)
    sol = nlte.synthesise(
        p0,
        f20,
        nlte.HALPHA_VACUUM_NM + dl / 10.0,
        delta=float(beam.delta),
        coronal_column_cm2=float(beam.coronal_column_cm2),
        max_iterations=int(solver.max_iterations),
        j_tol=float(solver.j_tol),
        pops_tol=float(solver.pops_tol),
        n_threads=n_threads,
    )
    return profiles.profile_dataset(p0, f20, dl, sol)


def collect_profiles(
    cases: Sequence[xr.Dataset], quiet: xr.Dataset, *, p0_grid: Sequence[float], f20_grid: Sequence[float]
) -> xr.Dataset:
    """The grid cases (``p0``-major) stacked into ``intensity(p0, f20, wavelength)`` in units of ``I_c``.

    ``quiet`` is the FAL-C case (P0 = F20 = 0); see :func:`kineticflow.halpha.profiles.stack_profiles`.
    """
    return profiles.stack_profiles(cases, p0_grid, f20_grid, quiet)


def simulate_flare(profile_grid: xr.Dataset, *, flare: Flare, scan: Scan) -> xr.Dataset:
    """True P0, F20, v and Hα spectra of every pixel at its own exposure time of the raster.

    See :func:`kineticflow.halpha.flare.truth_dataset`; the times are the raster clock of
    :func:`kineticflow.halpha.instrument.observation_times`.
    """
    t_obs = spectrograph.observation_times(scan)
    return flare_model.truth_dataset(profile_grid, flare, t_obs, int(scan.pixels_along_slit))


def observe_slit_scan(truth: xr.Dataset, *, instrument: Instrument, scan: Scan, seed: int) -> xr.Dataset:
    """The observation: counts in (scan, y, x, wavelength) as the slit spectrograph records them.

    Parameters
    ----------
    truth : xarray.Dataset
        ``truth.nc`` (:func:`simulate_flare`).
    instrument, scan : Instrument, Scan
        The spectrograph and its raster.
    seed : int
        Base seed of the photon noise (``stable_seed(seed, {"rule": "observe_slit_scan"})``).

    Returns
    -------
    xarray.Dataset
        The observation of :mod:`kineticflow.halpha.instrument` (``intensity``, ``t_s``,
        ``delta_wavelength``, attributes ``slit_fwhm_a``, ``continuum_counts``) with the simulation's
        ``counts`` and ``expected_intensity``.
    """
    spec = spectrograph.record_spectra(truth["spectrum"].values, truth["delta_wavelength"].values, instrument)
    n_c = float(instrument.continuum_counts)
    counts = spectrograph.photon_counts(spec, n_c, stable_seed(int(seed), {"rule": "observe_slit_scan"}))
    dims = ("scan", "y", "x", "wavelength")
    extra = {
        "counts": variable(counts, dims, units="count", long_name="detected photons per pixel"),
        "expected_intensity": variable(
            spec.astype(np.float32), dims, units="1", long_name="noise-free (Poisson mean) intensity / quiet continuum"
        ),
    }
    dl = spectrograph.pixel_offsets(instrument.n_pixels, instrument.half_range_a)
    ds = spectrograph.observation_dataset(
        counts / n_c, truth["t_s"], dl, {k: truth[k] for k in ("scan", "y", "x")}, extra
    )
    ds.attrs.update(
        slit_function="Gaussian",
        slit_fwhm_a=float(instrument.slit_fwhm_a),
        width_convention="FWHM",
        seeing_fwhm_arcsec=float(instrument.seeing_fwhm_arcsec),
        pixel_arcsec=float(instrument.pixel_arcsec),
        continuum_counts=n_c,
        time_per_raster_step_s=1.0 / float(scan.steps_per_s),
        raster_cycle_s=float(scan.cycle_s),
        source="R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. II (the 1980 instrument)",
    )
    return ds


def measure_lines(
    observed: xr.Dataset, truth: xr.Dataset, *, measure: Measure, tracked: Sequence[tuple[str, int, int]], seed: int
) -> xr.Dataset:
    """Per pixel and scan: difference spectrum vs scan 0, bisectors, reversal, wings, core width; deconvolution.

    Parameters
    ----------
    observed : xarray.Dataset
        The observation (``observed.nc``; contract in :mod:`kineticflow.halpha.instrument`).
    truth : xarray.Dataset
        ``truth.nc``; only the true spectrum of the first tracked pixel at its HXR peak is used (the
        deconvolution error test).
    measure : Measure
        Diagnostics parameters (``bisector_levels``, ``min_excess_sigma``, ``wing_threshold``,
        ``deconvolution_noise``).
    tracked : sequence of (name, y, x)
        The tracked pixels (kernel centres), whose spectra are deconvolved.
    seed : int
        Seed of the deconvolution test noise.

    Returns
    -------
    xarray.Dataset
        Diagnostics on (scan, y, x) and (scan, y, x, level); deconvolved spectra of the tracked pixels;
        the deconvolution error against noise. Attributes ``slit_fwhm_a`` and ``continuum_counts`` are
        the observation's.
    """
    spectrograph.check_observation(observed)
    n_c, fwhm = float(observed.attrs["continuum_counts"]), float(observed.attrs["slit_fwhm_a"])
    levels = np.asarray(measure.bisector_levels, float)
    kw: dict[str, Any] = {
        "levels": levels,
        "min_excess_sigma": measure.min_excess_sigma,
        "wing_threshold": measure.wing_threshold,
    }
    dl = observed["delta_wavelength"].values
    obs = observed["intensity"].values.astype(np.float64)
    res, bis = line_measure.diagnostics_cube(dl, obs, continuum_counts=n_c, **kw)
    expected = observed["expected_intensity"].values.astype(np.float64)
    clean, _ = line_measure.diagnostics_cube(
        dl, expected, continuum_counts=n_c, significant=np.isfinite(res["velocity_kms"]), **kw
    )
    ds = line_measure.diagnostics_dataset(observed, res, bis, clean["velocity_kms"], levels)
    _, y0, x0 = tracked[0]
    at_peak = truth["spectrum"].values[int(np.argmax(truth["hxr_at_pixel"].values[:, x0])), y0, x0]
    true_peak = np.interp(dl, truth["delta_wavelength"].values, at_peak)
    noise = np.asarray(measure.deconvolution_noise, float)
    deconv = line_measure.slit_deconvolution(obs, dl, fwhm, tracked, true_peak, noise, int(seed))
    ds = xr.merge([ds, deconv], combine_attrs="drop_conflicts")
    ds.attrs.update(
        wing_threshold=float(measure.wing_threshold),
        velocity_sign="positive = redshift = downflow",
        width_convention="FWHM",
        slit_fwhm_a=fwhm,
        continuum_counts=n_c,
        source=line_measure.BISECTOR_SOURCE,
    )
    return ds


def infer_parameters(
    diagnostics: xr.Dataset, truth: xr.Dataset, profile_grid: xr.Dataset, *, measure: Measure, flare: Flare
) -> tuple[pd.DataFrame, xr.Dataset, pd.DataFrame]:
    """Recovered-vs-true table, the fits (decay times, HXR correlations and lags) and their tidy table.

    Parameters
    ----------
    diagnostics, truth, profile_grid : xarray.Dataset
        ``diagnostics.nc`` (with the observation's ``slit_fwhm_a``, ``continuum_counts``),
        ``truth.nc``, ``profiles.nc``.
    measure : Measure
        Grid match, decay-fit and summary parameters.
    flare : Flare
        The kernels (tracked pixels and their episodes) and the HXR light curve.

    Returns
    -------
    tuple
        ``recovered.csv`` table, ``fits.nc`` dataset, ``fits.csv`` table.
    """
    table = infer.recover(diagnostics, truth, profile_grid, measure=measure)
    fits = infer.fits_dataset(table, diagnostics, flare_params=flare, measure=measure)
    return table, fits, infer.fits_table(fits)


def plot_halpha(
    profile_grid: xr.Dataset,
    truth: xr.Dataset,
    observed: xr.Dataset,
    diagnostics: xr.Dataset,
    recovered: pd.DataFrame,
    *,
    tracked: Sequence[tuple[str, int, int]],
) -> dict[str, Any]:
    """The branch's figures by output name of the rule: families, sequences, wing, velocity, maps.

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        Keys ``families``, ``sequences``, ``wing``, ``velocity``, ``maps`` (the rule's named outputs).
    """
    return {
        "families": plots.profile_families(profile_grid),
        "sequences": plots.pixel_sequences(observed, diagnostics),
        "wing": plots.hxr_series(truth, recovered, tracked, "wing_extent_a", "wing extent (Å)"),
        "velocity": plots.hxr_series(
            truth,
            recovered,
            tracked,
            "v_recovered_kms",
            "calibrated bisector v (km s$^{-1}$)",
            "v_true_kms",
            "v_bisector_kms",
        ),
        "maps": plots.maps_at_peak(truth, diagnostics, recovered),
    }
