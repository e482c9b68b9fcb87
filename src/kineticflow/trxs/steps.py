"""One function per rule of ``workflow/rules/trxs.smk``, named as the rule.

Datasets and parameter dataclasses (:mod:`kineticflow.trxs.config`) in, datasets, tables or
figures out; the scripts in ``workflow/scripts/trxs/`` read the inputs, call one of these and
write the results. The chain (TRXS paper, Ukr. J. Phys. 57 (2012); docs/trxs.md):

``simulate_trxs`` (Eqs 3–6) → ``observe_trxs`` per pulse width (Eq. 1, Eqs 7–8, noise) →
``invert_fourier`` (Eq. 2) and ``deconvolve_and_fit`` per width (beyond the paper) →
``summarise_trxs`` (tables) and ``plot_trxs`` (figures).

The observed path (docs/trxs.md, "Your own data") reads only the observation contract:
``observe_file`` (a user's file) or ``observe_simulated`` (a simulated measurement) →
``svd_observation``, ``fit_observation_kinetics`` and ``deconvolve_observation`` →
``plot_observation``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kineticflow.trxs.config import Deconvolution, Grid, Inversion, KineticFit, Observation, Weighting
from kineticflow.trxs.config_observed import KineticModel, Reader
from kineticflow.trxs.model import DiatomicModel

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.figure import Figure


def simulate_trxs(model: DiatomicModel, grid: Grid, weighting: Weighting) -> xr.Dataset:
    """ΔS_inst[r, t] and ΔS_inst(q, t) on the grids (TRXS Eqs 3–6).

    See :func:`kineticflow.trxs.signals.simulate_instantaneous`.
    """
    from kineticflow.trxs.signals import simulate_instantaneous

    return simulate_instantaneous(model, grid, weighting)


def observe_trxs(
    inst: xr.Dataset, fwhm: str, observation: Observation, profile: str | os.PathLike[str] | None = None
) -> tuple[xr.Dataset, list[xr.Dataset], list[xr.Dataset]]:
    """One pulse width seen by the simulated device: pulse (Eq. 1), jitter (Eqs 7–8), noisy measurements.

    Every convolution of the job is with the same ΔS_inst, so its FFT is computed once per FFT
    length, and a pulse met twice (no jitter: the nominal pulse) is convolved once (a shared cache;
    the same numbers as separate calls). Noise seeds come from the file labels
    (:func:`kineticflow.trxs.instrument.noise_seed`).

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs``.
    fwhm : str
        Pulse FWHM (ps) as in the file names (``"100"``).
    observation : Observation
        Pulse, delays, jitter and measurement, and the labels of the jitter fractions, the measured
        fractions and the SNRs.
    profile : path, optional
        The measured pulse profile (pulse shape ``measured``).

    Returns
    -------
    convolved : xarray.Dataset
        :func:`kineticflow.trxs.instrument.convolve_pulse`.
    jittered : list of xarray.Dataset
        :func:`kineticflow.trxs.instrument.average_jitter` of each fraction, in order.
    measured : list of xarray.Dataset
        :func:`kineticflow.trxs.instrument.measure` of each (measured fraction, SNR), jitter-major.
    """
    from kineticflow.trxs.instrument import average_jitter, convolve_pulse, measure, noise_seed

    obs, m = observation, observation.measurement
    cache: dict[str, Any] = {}
    conv = convolve_pulse(inst, obs.pulse, float(fwhm), obs.delays, profile, cache=cache)
    jit = [average_jitter(inst, conv, obs.pulse, float(j), obs.jitter, obs.delays, cache) for j in obs.fractions]
    measured = [
        measure(
            inst, jit[obs.fractions.index(j)], snr, noise_seed(m.seed, fwhm, j, snr), m.delays_ps, m.noise_reference
        )
        for j in obs.measured_jitters
        for snr in obs.snrs
    ]
    return conv, jit, measured


def invert_fourier(jittered: Sequence[xr.Dataset], inversion: Inversion, weighting: Weighting) -> list[xr.Dataset]:
    """ΔS[r, τ] from ΔS(q, τ) over the measured q range (TRXS Eq. 2) of each jitter-averaged dataset.

    See :func:`kineticflow.trxs.signals.invert_fourier`.
    """
    from kineticflow.trxs.signals import invert_fourier as invert

    return [invert(j, inversion, weighting) for j in jittered]


def deconvolve_and_fit(
    inst: xr.Dataset,
    measured: Sequence[xr.Dataset],
    deconvolution: Deconvolution,
    model: DiatomicModel,
    kinetic_fit: KineticFit,
    weighting: Weighting,
) -> tuple[list[xr.Dataset], list[xr.Dataset]]:
    """Tikhonov deconvolution and the pulse-aware kinetic fit of each measurement of one pulse width.

    One factorisation and one forward model per effective pulse (:mod:`kineticflow.trxs.analysis`).

    Returns
    -------
    deconvolved, fits : list of xarray.Dataset
        :func:`kineticflow.trxs.analysis.deconvolve` and :func:`kineticflow.trxs.analysis.fit_measured`
        of each measurement, in order.
    """
    from kineticflow.trxs.analysis import deconvolve_cases, fit_cases
    from kineticflow.trxs.kinetic_fit import form_factor_weight

    weight = form_factor_weight(measured[0]["q"].values, weighting.enabled, weighting.element) if measured else None
    return deconvolve_cases(inst, measured, deconvolution), fit_cases(measured, model, kinetic_fit, weight)


def summarise_trxs(
    jittered: Sequence[xr.Dataset], deconvolved: Sequence[xr.Dataset], fits: Sequence[xr.Dataset]
) -> dict[str, str]:
    """The summary tables as text: jitter broadening (CSV and HTML), kinetic fits and deconvolution (CSV).

    Returns
    -------
    dict
        ``jitter_table``, ``jitter_html``, ``fit_table``, ``deconvolution_table`` (the rule's
        output names) → file contents.
    """
    from kineticflow.core.report import table_html
    from kineticflow.trxs.tables import csv_text, deconvolution_table, fit_table, jitter_broadening_table

    jitter = jitter_broadening_table(jittered)
    return {
        "jitter_table": jitter.to_csv(index=False),
        "jitter_html": table_html(jitter, "Jitter broadening of the effective pulse (TRXS paper Eqs 7-8)"),
        "fit_table": csv_text(fit_table(fits)),
        "deconvolution_table": csv_text(deconvolution_table(deconvolved)),
    }


def plot_trxs(
    inst: xr.Dataset,
    convolved: Sequence[xr.Dataset],
    jittered: Sequence[xr.Dataset],
    inverted: Sequence[xr.Dataset],
    deconvolved: Sequence[xr.Dataset],
    fits: Sequence[xr.Dataset],
    times: Sequence[float],
    inversion_times: Sequence[float],
) -> Iterator[Figure]:
    """Every TRXS figure, one at a time (save and close each before the next).

    The paper's figures (:func:`kineticflow.trxs.plots.paper_figures`: ΔS_inst in r and q, the
    pulse-averaged signals in r and q, the peak position, the effective pulse vs jitter, one
    inversion per element of ``inverted``), then the deconvolution and kinetic-fit figures
    (:func:`kineticflow.trxs.plots.analysis_figures`).
    """
    from kineticflow.trxs import plots

    yield from plots.paper_figures(inst, convolved, jittered, inverted, times, inversion_times)
    yield from plots.analysis_figures(deconvolved, fits)


# --------------------------------------------------------------------------------------------
# The observed path: one observation (the contract) per {observation} wildcard
# --------------------------------------------------------------------------------------------


def observe_file(path: str | os.PathLike[str], reader: Reader) -> xr.Dataset:
    """A user's file read into the observation contract.

    See :func:`kineticflow.trxs.observation.read_observation` (``reader``: format, variable
    names, units of q and of the delays, sample).
    """
    from kineticflow.trxs.observation import read_observation

    r = reader
    return read_observation(path, r.format, r.variables or None, r.q_unit, r.delay_unit, r.sample)


def observe_simulated(measured: xr.Dataset, path: str | os.PathLike[str]) -> xr.Dataset:
    """A simulated noisy measurement (rule ``observe_trxs``, file ``path``) as the observation contract.

    See :func:`kineticflow.trxs.observed.observation_from_measurement`.
    """
    from kineticflow.core.io import file_sha256
    from kineticflow.trxs.observed import observation_from_measurement

    return observation_from_measurement(measured, path, file_sha256(path))


def svd_observation(obs: xr.Dataset, level: float) -> tuple[xr.Dataset, str]:
    """Noise-weighted SVD of ΔS/σ and its table (CSV text).

    See :func:`kineticflow.core.svd.weighted_svd` (``level``: upper-tail probability of the
    significance threshold) and :func:`kineticflow.trxs.observed.svd_table`.
    """
    from kineticflow.core.svd import weighted_svd
    from kineticflow.trxs.observed import svd_table

    svd = weighted_svd(obs["delta_s"], obs["sigma"], level=level)
    svd.attrs.update({k: obs.attrs[k] for k in ("sample", "source_file", "source_file_sha256", "reader")})
    return svd, svd_table(svd).to_csv(index=False)


def fit_observation_kinetics(
    obs: xr.Dataset,
    kinetic_model: KineticModel,
    model: DiatomicModel,
    kinetic_fit: KineticFit,
    weighting: Weighting,
    profile: str | os.PathLike[str] | None = None,
) -> tuple[xr.Dataset, str]:
    """The global kinetic model fitted to the observation, and its table (CSV text).

    See :func:`kineticflow.trxs.observed.fit_observation` and
    :func:`kineticflow.trxs.observed.kinetics_table`; ``model``, ``kinetic_fit`` and
    ``weighting`` serve the ``diatomic`` model; ``profile``: the measured pulse profile file.
    """
    from kineticflow.trxs.kinetic_fit import form_factor_weight
    from kineticflow.trxs.observed import fit_observation, kinetics_table
    from kineticflow.trxs.pulses import read_pulse_profile

    pulse = read_pulse_profile(profile) if profile else None
    weight = form_factor_weight(obs["q"].values, weighting.enabled, weighting.element)
    fit = fit_observation(obs, kinetic_model, model, kinetic_fit, pulse, weight)
    return fit, kinetics_table(fit).to_csv(index=False)


def deconvolve_observation(
    obs: xr.Dataset,
    kinetic_model: KineticModel,
    deconvolution: Deconvolution,
    inversion: Inversion,
    grid: Grid,
    weighting: Weighting,
    profile: str | os.PathLike[str] | None = None,
) -> tuple[xr.Dataset, xr.Dataset]:
    """Tikhonov deconvolution with the observation's pulse, and the Eq. 2 inversion on ``grid``'s r.

    Each runs where the observation's delays and q range allow; otherwise its dataset's
    ``status`` says why (:mod:`kineticflow.trxs.observed_inversion`).
    """
    from kineticflow.trxs.observed import effective_pulse
    from kineticflow.trxs.observed_inversion import deconvolve_observation as deconvolve
    from kineticflow.trxs.observed_inversion import invert_observation
    from kineticflow.trxs.pulses import read_pulse_profile

    pulse = effective_pulse(kinetic_model, read_pulse_profile(profile) if profile else None)
    return deconvolve(obs, pulse, deconvolution), invert_observation(obs, inversion, grid.axes()[0], weighting)


def plot_observation(
    name: str,
    obs: xr.Dataset,
    svd: xr.Dataset,
    fit: xr.Dataset,
    deconvolved: xr.Dataset,
    inverted: xr.Dataset,
    q_values: Sequence[float] = (),
) -> tuple[Iterator[Figure], str]:
    """The observation's figures (one at a time) and its provenance table (CSV text).

    See :func:`kineticflow.trxs.observed_plots.observation_figures` (``q_values``: the q of the
    data-and-fit panels, Å⁻¹; empty: four spread over the range) and
    :func:`kineticflow.trxs.tables.observation_provenance`.
    """
    from kineticflow.trxs.observed_plots import observation_figures
    from kineticflow.trxs.tables import observation_provenance

    table = observation_provenance(name, obs, svd, fit, deconvolved, inverted)
    return observation_figures(obs, svd, fit, q_values), table.to_csv(index=False)
