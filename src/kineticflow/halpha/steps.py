"""One function per rule of ``workflow/rules/halpha.smk``, named as the rule.

Each takes datasets (or tables) and explicit keyword parameters (frozen dataclasses of
:mod:`kineticflow.halpha.config`) and returns what the rule writes; the scripts in
``workflow/scripts/halpha/`` only read, call and write. The chain:

``synthesise_profiles`` → ``collect_profiles`` (the theory) → ``simulate_flare`` (the Sun) →
``observe_slit_scan`` (the instrument; its product is the observation contract of
:mod:`kineticflow.halpha.observation`) → ``measure_lines`` → ``infer_parameters`` (the analysis) →
``plot_halpha``. An observed raster or cube (``halpha.observations``, wildcard ``{name}``):
``read_halpha_observation`` (the same contract) and ``read_halpha_hxr`` → ``measure_observed_lines``
→ ``infer_observed_parameters`` → ``plot_halpha_observed``, and ``tabulate_halpha_observations``
(provenance) — the same analysis without a truth. The readers (astropy) are imported by the
observed steps only, so that the simulated path's jobs do not pay for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.core.noise import stable_seed
from kineticflow.halpha import flare as flare_model
from kineticflow.halpha import infer, nlte, plots, profiles, timing
from kineticflow.halpha import instrument as spectrograph
from kineticflow.halpha import measure as line_measure
from kineticflow.halpha.config import Beam, Flare, Instrument, Measure, Scan, Solver, Synthesis
from kineticflow.halpha.observation_contract import check_contract, contract_only, provenance_rows, to_contract
from kineticflow.halpha.observed_config import Observation


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
        The observation contract (:mod:`kineticflow.halpha.observation`: ``intensity``, ``t_s``,
        ``wavelength``, ``delta_wavelength``, attributes ``slit_fwhm_a``, ``continuum_counts`` and the
        provenance, ``reader = "simulated"``) with the simulation's ``counts`` and
        ``expected_intensity``.
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
    return to_contract(ds)


def measure_lines(
    observed: xr.Dataset, truth: xr.Dataset, *, measure: Measure, tracked: Sequence[tuple[str, int, int]], seed: int
) -> xr.Dataset:
    """Per pixel and scan: difference spectrum vs scan 0, bisectors, reversal, wings, core width; deconvolution.

    Parameters
    ----------
    observed : xarray.Dataset
        The observation (``observed.nc``; the contract of :mod:`kineticflow.halpha.observation`).
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
        :func:`kineticflow.halpha.measure.line_diagnostics`: diagnostics on (scan, y, x) and
        (scan, y, x, level); deconvolved spectra of the tracked pixels; the deconvolution error
        against noise. Attributes ``slit_fwhm_a`` and ``continuum_counts`` are the observation's.

    Raises
    ------
    kineticflow.halpha.observation.ObservationError
        The observation is not the contract.
    """
    check_contract(observed)
    _, y0, x0 = tracked[0]
    at_peak = truth["spectrum"].values[int(np.argmax(truth["hxr_at_pixel"].values[:, x0])), y0, x0]
    true_peak = np.interp(observed["delta_wavelength"].values, truth["delta_wavelength"].values, at_peak)
    return line_measure.line_diagnostics(observed, measure=measure, tracked=tracked, true_peak=true_peak, seed=seed)


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
    table = infer.recover(
        diagnostics,
        profile_grid,
        measure=measure,
        pixels=infer.kernel_pixels(truth),
        truth=truth,
        hxr_at_pixel=truth["hxr_at_pixel"].values,
    )
    rate = partial(flare_model.hxr_rate, hxr=flare.hxr)
    fits = timing.fits_dataset(table, diagnostics, tracks=timing.tracks_of_flare(flare), rate=rate, measure=measure)
    return table, fits, timing.fits_table(fits)


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
    scan = timing.peak_scan(truth["hxr_at_pixel"].values, diagnostics)
    return {
        "families": plots.profile_families(profile_grid),
        "sequences": plots.pixel_sequences(observed, diagnostics),
        "wing": plots.hxr_series(truth["hxr_rate"], recovered, tracked, "wing_extent_a", "wing extent (Å)"),
        "velocity": plots.hxr_series(
            truth["hxr_rate"],
            recovered,
            tracked,
            "v_recovered_kms",
            "calibrated bisector v (km s$^{-1}$)",
            "v_true_kms",
            "v_bisector_kms",
        ),
        "maps": plots.maps_at_peak(diagnostics, recovered, scan, truth["p0"].values[scan]),
    }


def read_halpha_observation(paths: Sequence[str | os.PathLike[str]], *, observation: Observation) -> xr.Dataset:
    """An observation's file(s) read into the contract, normalised by its quiet-Sun reference.

    Parameters
    ----------
    paths : sequence of str or path
        The file(s) (resolved; a FITS raster may be several files in time order).
    observation : Observation
        Reader, quiet reference, instrument and reader options (``halpha.observations.<name>``).

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.halpha.observation.read_observation`, without variables outside the
        contract (:func:`kineticflow.halpha.observation_contract.contract_only`); attribute
        ``observation`` = the name.

    Raises
    ------
    kineticflow.halpha.observation.ObservationError
        One line naming the file, the variable and what was expected.
    """
    from kineticflow.halpha.observation import read_observation

    files = [str(p) for p in paths]
    obs = read_observation(files if len(files) > 1 else files[0], observation.format, **observation.reader_arguments())
    obs = contract_only(obs)
    obs.attrs["observation"] = observation.name
    return obs


def read_halpha_hxr(path: str | os.PathLike[str], observed: xr.Dataset, *, observation: Observation) -> xr.Dataset:
    """The hard X-ray light curve of an observation, in seconds since its ``date_obs``.

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.halpha.hxr_curve.read_hxr`: ``rate(time)`` [count s⁻¹], ``rate_stderr``.
    """
    from kineticflow.halpha.hxr_curve import read_hxr

    fmt = None if observation.hxr is None else observation.hxr.format
    return read_hxr(path, fmt, date_obs=str(observed.attrs.get("date_obs", "")) or None)


def measure_observed_lines(observed: xr.Dataset, *, measure: Measure, observation: Observation) -> xr.Dataset:
    """The diagnostics of :func:`measure_lines` for an observation: no truth, so no deconvolution error test.

    ``velocity_noise_free`` needs a noise-free intensity (a simulation read back has one) and
    ``deconvolution_error`` a true spectrum; without them they are NaN with a ``note``. The tracked
    pixels (deconvolved spectra) are the observation's kernels.

    Raises
    ------
    kineticflow.halpha.observation.ObservationError
        The observation is not the contract.
    """
    check_contract(observed)
    return line_measure.line_diagnostics(observed, measure=measure, tracked=observation.tracked)


def infer_observed_parameters(
    diagnostics: xr.Dataset,
    profile_grid: xr.Dataset,
    hxr: xr.Dataset | None,
    *,
    measure: Measure,
    observation: Observation,
) -> tuple[pd.DataFrame, xr.Dataset, pd.DataFrame]:
    """:func:`infer_parameters` for an observation: its flare pixels, its kernels, its HXR light curve.

    Parameters
    ----------
    diagnostics, profile_grid : xarray.Dataset
        The observation's ``diagnostics.nc`` and the run's ``profiles.nc``.
    hxr : xarray.Dataset or None
        Its ``hxr.nc`` (:func:`read_halpha_hxr`); None: ``hxr_rate`` and the correlations are NaN.
    measure : Measure
        Grid match, decay-fit and summary parameters.
    observation : Observation
        Kernels (tracked pixels, episode starts) and the region of the table's pixels.

    Returns
    -------
    tuple
        ``recovered.csv`` (rows: :func:`kineticflow.halpha.infer.flare_pixels`; true columns NaN),
        ``fits.nc`` (truth-scored variables NaN with a note; the provenance attributes),
        ``fits.csv``.
    """
    from kineticflow.halpha.hxr_curve import rate_at

    rate = None if hxr is None else partial(rate_at, hxr)
    at_pixel = None if hxr is None else rate_at(hxr, diagnostics["t_s"].values)
    pixels = infer.flare_pixels(diagnostics, observation.tracked, observation.region)
    table = infer.recover(diagnostics, profile_grid, measure=measure, pixels=pixels, hxr_at_pixel=at_pixel)
    tracks = timing.tracks_of_observation(observation)
    fits = timing.fits_dataset(table, diagnostics, tracks=tracks, rate=rate, measure=measure, observed=True)
    fits.attrs.update(
        {k: v for k, v in diagnostics.attrs.items() if k in ("reader", "source_file", "source_file_sha256")}
    )
    return table, fits, timing.fits_table(fits)


def plot_halpha_observed(
    observed: xr.Dataset,
    diagnostics: xr.Dataset,
    recovered: pd.DataFrame,
    hxr: xr.Dataset | None,
    *,
    tracked: Sequence[tuple[str, int, int]],
) -> dict[str, Any]:
    """The figures of :func:`plot_halpha` for an observation (no profile families, no truth).

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        Keys ``sequences``, ``wing``, ``velocity``, ``maps`` (the rule's named outputs).
    """
    from kineticflow.halpha.hxr_curve import rate_at

    rate = None if hxr is None else hxr["rate"]
    at_pixel = None if hxr is None else rate_at(hxr, diagnostics["t_s"].values)
    velocity_label = "calibrated bisector v (km s$^{-1}$)"
    return {
        "sequences": plots.pixel_sequences(observed, diagnostics),
        "wing": plots.hxr_series(rate, recovered, tracked, "wing_extent_a", "wing extent (Å)"),
        "velocity": plots.hxr_series(
            rate, recovered, tracked, "v_recovered_kms", velocity_label, None, "v_bisector_kms"
        ),
        "maps": plots.maps_at_peak(diagnostics, recovered, timing.peak_scan(at_pixel, diagnostics)),
    }


def tabulate_halpha_observations(observed: Mapping[str, xr.Dataset], hxr: Mapping[str, xr.Dataset]) -> pd.DataFrame:
    """The report's provenance table: every file read, by observation (reader, file, SHA-256, ...).

    ``observed``: each observation's ``observed.nc`` by name (only its attributes are read);
    ``hxr``: the ``hxr.nc`` of those with a light curve. Rows:
    :func:`kineticflow.halpha.observation_contract.provenance_rows`.
    """
    rows = [row for name, obs in observed.items() for row in provenance_rows(name, obs, hxr.get(name))]
    return pd.DataFrame(rows)
