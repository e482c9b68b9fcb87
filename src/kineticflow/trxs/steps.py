"""One function per rule of ``workflow/rules/trxs.smk``, named as the rule.

Datasets and parameter dataclasses (:mod:`kineticflow.trxs.config`) in, datasets, tables or
figures out; the scripts in ``workflow/scripts/trxs/`` read the inputs, call one of these and
write the results. The chain (TRXS paper, Ukr. J. Phys. 57 (2012); docs/trxs.md):

``simulate_trxs`` (Eqs 3–6) → ``observe_trxs`` per pulse width (Eq. 1, Eqs 7–8, noise) →
``invert_fourier`` (Eq. 2) and ``deconvolve_and_fit`` per width (beyond the paper) →
``summarise_trxs`` (tables) and ``plot_trxs`` (figures).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kineticflow.trxs.config import Deconvolution, Grid, Inversion, KineticFit, Observation, Weighting
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
