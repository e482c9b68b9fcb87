"""One function per rule of ``workflow/rules/plasma.smk``, named as the rule.

Each takes datasets (or the run's wildcards) and explicit settings, never a config section, and
returns what the rule writes; the thin scripts in ``workflow/scripts/plasma/`` read the inputs,
call one of these and write the outputs. The physics lives in :mod:`kineticflow.plasma.ocp` and
:mod:`kineticflow.plasma.mixtures` (plasma paper: J. Daligault, PRL 108, 225004 (2012)).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import xarray as xr

from kineticflow.plasma.mixtures import diffusion as mix_diffusion
from kineticflow.plasma.mixtures import fits as mix_fits
from kineticflow.plasma.mixtures import impurity as mix_impurity
from kineticflow.plasma.mixtures import md as mix_md
from kineticflow.plasma.mixtures import plots as mix_plots
from kineticflow.plasma.mixtures.formulas import Mixture
from kineticflow.plasma.observation_diffusion import correlations_from_velocities, read_d_star_table
from kineticflow.plasma.observed import provenance, read_velocities
from kineticflow.plasma.ocp import collisions as ocp_collisions
from kineticflow.plasma.ocp import corresponding_states as ocp_corresponding_states
from kineticflow.plasma.ocp import diffusion as ocp_diffusion
from kineticflow.plasma.ocp import eyring as ocp_eyring
from kineticflow.plasma.ocp import fits as ocp_fits
from kineticflow.plasma.ocp import kinetic_theory as ocp_kinetic_theory
from kineticflow.plasma.ocp import md as ocp_md
from kineticflow.plasma.ocp import plots as ocp_plots
from kineticflow.plasma.ocp.config import FitSettings, GreenKuboSettings


def simulate_md(
    kappa: float,
    gamma: float,
    seed: int,
    md: Mapping[str, Any],
    *,
    threads: int = 1,
    workdir: str | os.PathLike[str] | None = None,
) -> xr.Dataset:
    """Rule ``simulate_md``: one LAMMPS run of the OCP (κ = 0) or Yukawa OCP → VACF, MSD, energies.

    Parameters
    ----------
    kappa, gamma : float
        Screening κ a and coupling Γ of the run.
    seed : int
        Random seed.
    md : mapping
        Physics MD settings (:attr:`kineticflow.plasma.config.Params.md` of this κ).
    threads : int
        MPI ranks.
    workdir : path, optional
        Folder for the temporary LAMMPS files.

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.plasma.ocp.md.simulate_md`; the attributes ``lammps_input`` and
        ``lammps_log`` hold the files the rule writes beside it.

    Raises
    ------
    MDError, MDQualityError
        LAMMPS failing, or a run beyond the quality limits (nothing is written).
    """
    return ocp_md.simulate_md(kappa, gamma, seed, md, threads=threads, workdir=workdir)


def green_kubo(runs: Sequence[xr.Dataset], settings: GreenKuboSettings) -> xr.Dataset:
    """Rule ``green_kubo``: D*(κ, Γ) from the VACFs of all runs, with errors and the Einstein check.

    Parameters
    ----------
    runs : sequence of xarray.Dataset
        Outputs of :func:`simulate_md`.
    settings : GreenKuboSettings
        Tail correction and the Einstein cross-check.

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`.
    """
    return ocp_diffusion.collect_diffusion(
        runs,
        tail_correction=settings.tail_correction,
        fit_from=settings.msd_fit_from,
        max_msd_mismatch=settings.max_msd_mismatch,
    )


def fit_diffusion_models(diffusion: xr.Dataset, fits: FitSettings) -> tuple[xr.Dataset, pd.DataFrame, pd.DataFrame]:
    """Rule ``fit_diffusion_models``: Eqs 2 and 4 fitted per κ, Table I beside.

    Returns
    -------
    fits : xarray.Dataset
        :func:`kineticflow.plasma.ocp.fits.fit_diffusion_models`.
    table : pandas.DataFrame
        ``fits.csv`` (:func:`kineticflow.plasma.ocp.fits.fits_table`).
    d_star : pandas.DataFrame
        ``d_star.csv`` (:func:`kineticflow.plasma.ocp.fits.d_star_table`).
    """
    ds = ocp_fits.fit_diffusion_models(diffusion, fits)
    return ds, ocp_fits.fits_table(ds), ocp_fits.d_star_table(ds)


def kinetic_theory(diffusion: xr.Dataset) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``kinetic_theory``: Chapman–Enskog (and Landau, κ = 0) D* at the MD points, and the weak-coupling table.

    Returns
    -------
    theory : xarray.Dataset
        :func:`kineticflow.plasma.ocp.kinetic_theory.kinetic_theory`.
    table : pandas.DataFrame
        ``weak_coupling.csv`` (:func:`kineticflow.plasma.ocp.kinetic_theory.weak_coupling_table`).
    """
    ds = ocp_kinetic_theory.kinetic_theory(diffusion)
    return ds, ocp_kinetic_theory.weak_coupling_table(ds, diffusion)


def collision_frequency(diffusion: xr.Dataset, fits: xr.Dataset) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``collision_frequency``: ν/ω_p = 1/(3ΓD*) from MD and Eq. 2, its limit and the ansatz (Fig. 1 inset).

    Returns
    -------
    nu : xarray.Dataset
        :func:`kineticflow.plasma.ocp.collisions.collision_frequency`.
    table : pandas.DataFrame
        ``collision_frequency.csv`` (:func:`kineticflow.plasma.ocp.collisions.collision_summary`).
    """
    nu = ocp_collisions.collision_frequency(diffusion, fits)
    return nu, ocp_collisions.collision_summary(nu)


def plot_collision_frequency(nu: xr.Dataset) -> Any:
    """Rule ``plot_collision_frequency``: the figure of ν/ω_p against Γ (:func:`kineticflow.plasma.ocp.plots.plot_collision_frequency`)."""
    return ocp_plots.plot_collision_frequency(nu)


def eyring_exponent(diffusion: xr.Dataset, fits: xr.Dataset, settings: FitSettings) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``eyring_exponent``: the free-exponent Eyring fit per κ (footnote 18) and γ = BΓ_m.

    Returns
    -------
    exponent : xarray.Dataset
        :func:`kineticflow.plasma.ocp.eyring.eyring_exponent`.
    table : pandas.DataFrame
        ``eyring_exponent.csv`` (:func:`kineticflow.plasma.ocp.eyring.exponent_table`).
    """
    ds = ocp_eyring.eyring_exponent(diffusion, fits, settings)
    return ds, ocp_eyring.exponent_table(ds)


def corresponding_states(diffusion: xr.Dataset) -> tuple[pd.DataFrame, Any]:
    """Rule ``corresponding_states``: Rosenfeld's D_R against Γ/Γ_m for every κ, the table and its figure.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star(kappa, gamma)``, ``d_star_stderr``, ``gamma_measured`` (rule ``green_kubo``).

    Returns
    -------
    table : pandas.DataFrame
        ``corresponding_states.csv`` (:func:`kineticflow.plasma.ocp.corresponding_states.corresponding_states`).
    figure : matplotlib.figure.Figure
        :func:`kineticflow.plasma.ocp.plots.plot_corresponding_states`.
    """
    table = ocp_corresponding_states.corresponding_states(diffusion)
    return table, ocp_plots.plot_corresponding_states(table)


def plot_d_star_all_kappa(diffusion: xr.Dataset, fits: xr.Dataset) -> Any:
    """Rule ``plot_d_star_all_kappa``: D*(Γ) of every κ with its fits (:func:`kineticflow.plasma.ocp.plots.plot_d_star_all_kappa`)."""
    return ocp_plots.plot_d_star_all_kappa(diffusion, fits)


def plot_plasma(diffusion: xr.Dataset, fits: xr.Dataset, theory: xr.Dataset, kappa: float) -> Any:
    """Rule ``plot_plasma``: D*(Γ) of one κ with the models and the MD/model ratio (:func:`kineticflow.plasma.ocp.plots.plot_d_star`)."""
    return ocp_plots.plot_d_star(diffusion, fits, kappa, theory)


def simulate_mixture(
    mixture: Mapping[str, Any],
    gamma: float,
    seed: int,
    md: Mapping[str, Any],
    *,
    threads: int = 1,
    workdir: str | os.PathLike[str] | None = None,
) -> xr.Dataset:
    """Rule ``simulate_mixture``: one LAMMPS run of a binary ionic mixture → per-species VACFs.

    Parameters
    ----------
    mixture : mapping
        One ``plasma.mixtures.mixtures`` entry (name, z1, z2, m1, m2, x2).
    gamma : float
        BIM coupling Γ.
    seed : int
        Random seed.
    md : mapping
        Physics MD settings (:attr:`kineticflow.plasma.config.Params.mixture_md`).
    threads : int
        MPI ranks.
    workdir : path, optional
        Folder for the temporary LAMMPS files.

    Returns
    -------
    xarray.Dataset
        :func:`kineticflow.plasma.mixtures.md.simulate_mixture`.

    Raises
    ------
    MDError, MDQualityError
        LAMMPS failing, or a run beyond the quality limits.
    """
    return mix_md.simulate_mixture(Mixture.from_config(mixture), gamma, seed, md, threads=threads, workdir=workdir)


def mixture_green_kubo(runs: Sequence[xr.Dataset], tail_correction: bool) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``mixture_green_kubo``: D₁, D₂, D₁₂ of every mixture run and the Table II comparison.

    Returns
    -------
    diffusion : xarray.Dataset
        :func:`kineticflow.plasma.mixtures.diffusion.collect_mixture_diffusion`.
    table2 : pandas.DataFrame
        ``table2.csv`` (:func:`kineticflow.plasma.mixtures.diffusion.table2_comparison`).
    """
    per_run = [mix_diffusion.mixture_run_diffusion(ds, tail_correction) for ds in runs]
    ds = mix_diffusion.collect_mixture_diffusion(per_run)
    return ds, mix_diffusion.table2_comparison(ds)


def fit_mixture_models(diffusion: xr.Dataset, fits: FitSettings) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``fit_mixture_models``: per-species Eq. 5 and Eq. 6 fits, and their table.

    Returns
    -------
    fits : xarray.Dataset
        :func:`kineticflow.plasma.mixtures.fits.fit_mixture_models`.
    table : pandas.DataFrame
        ``mixtures/fits.csv`` (:func:`kineticflow.plasma.mixtures.fits.fits_table`).
    """
    ds = mix_fits.fit_mixture_models(diffusion, fits)
    return ds, mix_fits.fits_table(ds)


def plot_mixtures(diffusion: xr.Dataset, fits: xr.Dataset, mixture: str) -> Any:
    """Rule ``plot_mixtures``: D₁, D₂, D₁₂ of one mixture with the fits (:func:`kineticflow.plasma.mixtures.plots.plot_mixture`)."""
    return mix_plots.plot_mixture(diffusion, fits, mixture)


def mixture_impurity(diffusion: xr.Dataset, runs: Sequence[xr.Dataset]) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """Rule ``mixture_impurity``: impurity VACF shapes, D₂/D₁ and the Brownian limit (plasma paper Fig. 3).

    Returns
    -------
    impurity : pandas.DataFrame
        ``impurity.csv`` (:func:`kineticflow.plasma.mixtures.impurity.impurity_table`).
    brownian : pandas.DataFrame
        ``brownian_limit.csv`` (:func:`kineticflow.plasma.mixtures.impurity.brownian_limit_table`).
    figure : matplotlib.figure.Figure
        :func:`kineticflow.plasma.mixtures.plots.plot_impurity`.
    """
    table = mix_impurity.impurity_table(diffusion, runs)
    return table, mix_impurity.brownian_limit_table(diffusion), mix_plots.plot_impurity(runs, table)


def correlate_observed_velocities(
    path: str, fmt: str, reader: Mapping[str, Any], correlation: Mapping[str, Any]
) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``correlate_observed_velocities``: a user's velocities (LAMMPS dump or H5MD) → VACF and MSD.

    The readers of :mod:`kineticflow.plasma.observation` and :mod:`~kineticflow.plasma.observation_h5md`,
    then :func:`kineticflow.plasma.instrument.correlate` as for our runs.

    Parameters
    ----------
    path : str
        The file.
    fmt : {"dump", "h5md"}
        Its format.
    reader : mapping
        ``timestep`` (time units per step), ``omega_p`` (ω_p per time unit), ``length_unit`` (a in
        length units), ``group`` (H5MD).
    correlation : mapping
        ``kappa``, ``gamma`` and optionally ``n_blocks``, ``seed``, ``lag_window_wp`` (1/ω_p), ``n_lags``.

    Returns
    -------
    run : xarray.Dataset
        The ``simulate_md`` layout of one run (``vacf``, ``vacf_block``, ``msd``, ``gamma_measured``, …).
    provenance : pandas.DataFrame
        One row: ``source_file``, ``source_file_sha256``, ``reader``.
    """
    run = correlations_from_velocities(read_velocities(path, fmt, reader), **correlation)
    return run, provenance(run.attrs)


def observed_green_kubo(run: xr.Dataset, settings: GreenKuboSettings) -> xr.Dataset:
    """Rule ``observed_green_kubo``: D* with its error from a user's VACF, by :func:`green_kubo` (the same code).

    Returns
    -------
    xarray.Dataset
        The ``green_kubo`` layout on one (κ, Γ), with the file's provenance attributes.
    """
    ds = green_kubo([run], settings)
    ds.attrs.update({k: v for k, v in run.attrs.items() if k.startswith("source_file") or k == "reader"})
    return ds


def read_observed_d_star(path: str) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``read_observed_d_star``: a user's CSV of (kappa, gamma, d_star, d_star_stderr) in the ``green_kubo`` layout.

    Returns
    -------
    diffusion : xarray.Dataset
        :func:`kineticflow.plasma.observation_diffusion.read_d_star_table`.
    provenance : pandas.DataFrame
        One row: ``source_file``, ``source_file_sha256``, ``reader``.
    """
    ds = read_d_star_table(path)
    return ds, provenance(ds.attrs)


def fit_observed_diffusion_models(
    diffusion: xr.Dataset, fits: FitSettings
) -> tuple[xr.Dataset, pd.DataFrame, pd.DataFrame]:
    """Rule ``fit_observed_diffusion_models``: Eqs 2 and 4 fitted to a user's D*, as :func:`fit_diffusion_models`."""
    return fit_diffusion_models(diffusion, fits)


def plot_observed_d_star(diffusion: xr.Dataset, fits: xr.Dataset) -> Any:
    """Rule ``plot_observed_d_star``: a user's D*(Γ) of every κ with the fits, as :func:`plot_d_star_all_kappa`."""
    return plot_d_star_all_kappa(diffusion, fits)
