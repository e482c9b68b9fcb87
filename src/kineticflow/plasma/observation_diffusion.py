"""A user's velocities → VACF → D* by the ``green_kubo`` rule's code; a user's D* table → the fits.

:func:`correlations_from_velocities` builds, from a :class:`~kineticflow.plasma.observation.VelocitySeries`,
the dataset one ``simulate_md`` run produces (``vacf``, ``vacf_block``, ``msd``, ``msd_block`` on
``lag``, ``gamma_measured``, …) with the same functions: the particle groups of
:func:`~kineticflow.plasma.md.correlations.particle_groups` and the multi-origin
:func:`~kineticflow.plasma.instrument.correlate` (the ``simulate_md`` rule's VACF and MSD) of v/(a ω_p).
:func:`d_star_from_velocities` passes it to :func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`,
the ``green_kubo`` rule's function: D* (Green–Kubo, D = (1/3) ∫ ⟨v(t)·v(0)⟩ dt; Daligault, PRL 108,
225004 (2012)) and its standard error over the particle groups.

:func:`read_d_star_table` reads a CSV of D*(κ, Γ) into the ``diffusion.nc`` layout that
:func:`kineticflow.plasma.ocp.fits.fit_diffusion_models` fits (Eqs 2 and 4 of the paper).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from scipy.integrate import cumulative_trapezoid

from kineticflow.core.attrs import coord, variable
from kineticflow.core.io import file_sha256, observation_error
from kineticflow.plasma.instrument import Trajectory, correlate
from kineticflow.plasma.observation import VelocitySeries
from kineticflow.plasma.ocp.diffusion import collect_diffusion
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star, eyring_d_star
from kineticflow.plasma.ocp.reference import reference_parameters

#: Name of the D* standard error in the ``diffusion.nc`` layout the fits read (``green_kubo``).
D_STAR_STDERR = "d_star_stderr"
#: Accepted CSV column names of the D* standard error.
STDERR_COLUMNS = ("d_star_stderr", "d_star_err", "d_star_sigma")


def correlations_from_velocities(
    series: VelocitySeries,
    *,
    kappa: float,
    gamma: float,
    n_lags: int | None = None,
    lag_window_wp: float | None = None,
    n_blocks: int = 4,
    seed: int = 1,
    workers: int = 1,
) -> xr.Dataset:
    """The dataset of one ``simulate_md`` run, from a user's velocities (same functions as the rule).

    Parameters
    ----------
    series : VelocitySeries
        Velocities in a ω_p, shape (n_frames, N, 3).
    kappa, gamma : float
        Screening κ a ≥ 0 and coupling Γ > 0 of the run (the config's).
    n_lags : int, optional
        Correlation lags (frames, including 0); default from ``lag_window_wp``.
    lag_window_wp : float, optional
        Correlation window, 1/ω_p; default half the run. At most n_frames lags are used.
    n_blocks : int
        Disjoint random particle groups of the error (``plasma.md.n_blocks``).
    seed : int
        Seed of the groups (our runs: the MD seed).
    workers : int
        FFT threads.

    Returns
    -------
    xarray.Dataset
        ``vacf(lag)`` [(a ω_p)²], ``vacf_block(block, lag)``, ``msd(lag)``, ``msd_block`` [a²]
        (from the unwrapped positions, or else from the velocities integrated over time by the
        trapezoidal rule), ``gamma_measured`` (1/⟨k_BT⟩ with k_BT = Σ|v|²/(N − 1) in q²/a,
        3N − 3 degrees of freedom), ``energy_drift`` (NaN: not in the file), ``n_lost`` (0);
        attributes ``kappa``, ``gamma``, ``seed`` and the provenance.
    """
    v = series.velocities
    n_frames, n = v.shape[:2]
    dt = series.lags(2)[1]
    if n_lags is None:
        window = lag_window_wp if lag_window_wp is not None else series.lags(n_frames)[-1] / 2
        n_lags = int(round(window / dt)) + 1
    n_lags = min(int(n_lags), n_frames)
    if series.positions is not None:
        pos, msd_source = series.positions, "unwrapped positions of the file"
    else:
        pos = cumulative_trapezoid(v, dx=dt, axis=0, initial=0.0)
        msd_source = "displacements integrated from the velocities (trapezoidal rule)"
    # already in plasma units: time step dt (1/ω_p), ω_p = 1 per time unit, length unit a
    traj = Trajectory(v, timestep=dt, dump_every=1, omega_p=1.0, positions=pos)
    corr = correlate(traj, n_lags, int(n_blocks), seed, workers=workers)
    kt = (v**2).sum(axis=(1, 2)) / (n - 1)  # k_B T / (q²/a) per frame
    return _run_dataset(corr, float(np.mean(kt)), series, msd_source, kappa, gamma, seed)


def _run_dataset(
    corr: dict[str, np.ndarray],
    kt: float,
    series: VelocitySeries,
    msd_source: str,
    kappa: float,
    gamma: float,
    seed: int,
) -> xr.Dataset:
    """The ``simulate_md`` layout of the correlations (variables the ``green_kubo`` rule reads)."""
    vv, aa = "a^2 omega_p^2", "a^2"
    c_b, m_b, lag = corr["vacf_block"], corr["msd_block"], corr["lag"]
    data = {
        "vacf": variable(corr["vacf"], "lag", units=vv, long_name="velocity autocorrelation <v(t).v(0)>"),
        "vacf_block": variable(c_b, ("block", "lag"), units=vv, long_name="VACF of disjoint particle groups"),
        "msd": variable(corr["msd"], "lag", units=aa, long_name=f"mean-square displacement ({msd_source})"),
        "msd_block": variable(m_b, ("block", "lag"), units=aa, long_name="MSD of disjoint particle groups"),
        "temperature_mean": variable(kt, (), units="q^2/(a k_B)", long_name="mean kinetic temperature (3N - 3 dof)"),
        "gamma_measured": variable(1.0 / kt, (), units="1", long_name="coupling from the mean kinetic temperature"),
        "energy_drift": variable(np.nan, (), units="k_B T", long_name="total-energy drift (not in the file)"),
        "n_lost": variable(0, (), units="1", long_name="atoms lost"),
    }
    coords = {"lag": coord("lag", lag), "block": coord("block", np.arange(c_b.shape[0]))}
    attrs = {"kappa": float(kappa), "gamma": float(gamma), "seed": int(seed), "msd_source": msd_source,
             "n_particles": int(series.velocities.shape[1]), **(series.attrs or {})}  # fmt: skip
    return xr.Dataset(data, coords=coords, attrs=attrs)


def d_star_from_velocities(
    series: VelocitySeries,
    *,
    kappa: float,
    gamma: float,
    n_lags: int | None = None,
    lag_window_wp: float | None = None,
    n_blocks: int = 4,
    seed: int = 1,
    tail_correction: bool = True,
    fit_from: float = 0.5,
    max_msd_mismatch: float = 0.1,
) -> xr.Dataset:
    """D* with its error from a user's velocities, by :func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`.

    Parameters
    ----------
    series, kappa, gamma, n_lags, lag_window_wp, n_blocks, seed
        As :func:`correlations_from_velocities`.
    tail_correction, fit_from, max_msd_mismatch
        The ``plasma.green_kubo`` options (:class:`kineticflow.plasma.ocp.config.GreenKuboSettings`).

    Returns
    -------
    xarray.Dataset
        The ``green_kubo`` rule's ``diffusion.nc`` layout on one (κ, Γ): ``d_star``,
        ``d_star_stderr`` (standard error over the particle groups), ``d_star_msd``, ``gamma_measured``,
        ``tail_fraction``, …

    Raises
    ------
    kineticflow.plasma.md.transport.DiffusionError
        A window too short for the tail correction or a non-positive D*.
    """
    run = correlations_from_velocities(
        series, kappa=kappa, gamma=gamma, n_lags=n_lags, lag_window_wp=lag_window_wp, n_blocks=n_blocks, seed=seed
    )
    out = collect_diffusion([run], tail_correction, fit_from, max_msd_mismatch)
    out.attrs.update({k: v for k, v in run.attrs.items() if k.startswith("source_file") or k == "reader"})
    return out


def _table_columns(path: Path, df: pd.DataFrame) -> str:
    """The standard-error column; refuses missing columns."""
    for need in ("kappa", "gamma", "d_star"):
        if need not in df.columns:
            raise observation_error(path, need, f"column missing (columns: {', '.join(map(str, df.columns))})",
                       "columns kappa, gamma, d_star, d_star_stderr")  # fmt: skip
    err = next((c for c in STDERR_COLUMNS if c in df.columns), None)
    if err is None:
        raise observation_error(path, "d_star_stderr", f"column missing (columns: {', '.join(map(str, df.columns))})",
                   f"one of {', '.join(STDERR_COLUMNS)}")  # fmt: skip
    return err


def _check_table(path: Path, df: pd.DataFrame, err: str) -> None:
    """Finite numbers; κ ≥ 0, Γ > 0, D* > 0, σ > 0; each (κ, Γ) once. The first bad row named."""
    rules = {"kappa": (lambda x: x >= 0, ">= 0"), "gamma": (lambda x: x > 0, "> 0"),
             "d_star": (lambda x: x > 0, "> 0"), err: (lambda x: x > 0, "> 0"),
             "gamma_measured": (lambda x: x > 0, "> 0")}  # fmt: skip
    for col, (ok, text) in rules.items():
        if col not in df.columns:
            continue
        values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
        bad = ~(np.isfinite(values) & ok(values))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            cell = df[col].iloc[i]
            cell = cell.item() if hasattr(cell, "item") else cell  # plain -0.5, not np.float64(-0.5)
            raise observation_error(path, col, f"{cell!r} in data row {i + 1}", f"finite numbers {text}")
    dup = df.duplicated(subset=["kappa", "gamma"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise observation_error(path, "kappa, gamma", f"repeated pair in data row {i + 1}", "each (kappa, gamma) once")


def read_d_star_table(path: str | os.PathLike[str]) -> xr.Dataset:
    """A CSV table of D*(κ, Γ) in the layout the fits read (``green_kubo``'s ``diffusion.nc``).

    Columns (header row, any order, ``#`` comments, other columns ignored): ``kappa`` (κ a ≥ 0),
    ``gamma`` (Γ > 0), ``d_star`` (D* = D/(a² ω_p) > 0), ``d_star_stderr`` (or ``d_star_err``,
    ``d_star_sigma``; > 0), optional ``gamma_measured`` (the abscissa of the fits when
    ``plasma.fits.use_measured_gamma``; without it the nominal Γ). Our ``results/plasma/d_star.csv``
    has these columns.

    Parameters
    ----------
    path : str or path
        The CSV file.

    Returns
    -------
    xarray.Dataset
        ``d_star``, ``d_star_stderr`` (:data:`D_STAR_STDERR`) and, if given, ``gamma_measured`` on
        (kappa, gamma), sorted; NaN where a pair is not in the table.

    Raises
    ------
    ObservationError
        A missing column, a non-numeric or non-finite cell, κ < 0, Γ ≤ 0, D* ≤ 0, σ ≤ 0 or a
        repeated (κ, Γ): one line naming the file, the column and the row.
    """
    path = Path(path)
    try:
        df = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise observation_error(path, "file", f"not a readable CSV table ({exc})", "a CSV with a header row") from None
    df.columns = [str(c).strip() for c in df.columns]
    err = _table_columns(path, df)
    _check_table(path, df, err)
    cols = {"d_star": "d_star", D_STAR_STDERR: err} | (
        {"gamma_measured": "gamma_measured"} if "gamma_measured" in df else {}
    )
    frame = df.astype({c: float for c in ["kappa", "gamma", *cols.values()]}).set_index(["kappa", "gamma"])
    ds = xr.Dataset.from_dataframe(frame[list(cols.values())].rename(columns={v: k for k, v in cols.items()}))
    meta = {"d_star": "self-diffusion coefficient D* = D/(a^2 omega_p)", D_STAR_STDERR: "standard error of D*",
            "gamma_measured": "coupling of the state point (abscissa of the fits)"}  # fmt: skip
    for name in ds.data_vars:
        units = "1" if name == "gamma_measured" else "a^2 omega_p"
        ds[name] = variable(ds[name], units=units, long_name=meta[str(name)])
    ds = ds.assign_coords(kappa=coord("kappa", ds["kappa"].values), gamma=coord("gamma", ds["gamma"].values))
    ds.attrs.update(source_file=str(path), source_file_sha256=file_sha256(path), reader="table")
    return ds


def write_d_star_table(diffusion: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write the D* of a ``diffusion.nc`` dataset as the CSV :func:`read_d_star_table` reads (17 digits).

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star``, ``d_star_stderr`` (:data:`D_STAR_STDERR`) and optionally ``gamma_measured`` on
        (kappa, gamma); pairs without D* are left out.
    path : str or path
        Target file.

    Returns
    -------
    pathlib.Path
    """
    cols = ["d_star", D_STAR_STDERR] + (["gamma_measured"] if "gamma_measured" in diffusion else [])
    df = diffusion[cols].to_dataframe().reset_index().dropna(subset=["d_star"])
    df = df.rename(columns={D_STAR_STDERR: "d_star_stderr"})
    path = Path(path)
    df.to_csv(path, index=False, float_format="%.17g")
    return path


#: The shipped example table: Table I models at the default config's state points, 3 % scatter.
EXAMPLE_TABLE: dict[str, Any] = {"gammas": {0.0: (0.2, 0.5, 1.0, 2.0, 50.0, 100.0, 150.0, 175.0),
                            2.0: (0.3, 1.0, 2.0, 100.0, 200.0, 300.0, 400.0)},
                 "relative_error": 0.03, "seed": 2012}  # fmt: skip


def example_d_star_table(relative_error: float | None = None, seed: int | None = None) -> pd.DataFrame:
    """D*(κ, Γ) of the paper's models with the Table I parameters, scattered by their errors.

    Eq. 2 (generalised Chapman–Spitzer) for Γ ≤ 2 and Eq. 4 (Eyring) for Γ ≥ 50 (Daligault, PRL
    108, 225004 (2012), Table I), at κ = 0 and 2; D* multiplied by 1 + σ_r ε (ε standard normal,
    ``numpy.random.default_rng(seed)``), standard error σ_r D*.

    Parameters
    ----------
    relative_error : float, optional
        σ_r (default 0.03; 0 gives the models exactly).
    seed : int, optional
        Seed of ε (default that of the shipped file).

    Returns
    -------
    pandas.DataFrame
        Columns ``kappa, gamma, d_star, d_star_stderr``.
    """
    sr = EXAMPLE_TABLE["relative_error"] if relative_error is None else relative_error
    rng = np.random.default_rng(EXAMPLE_TABLE["seed"] if seed is None else seed)
    rows = []
    for kappa, gammas in EXAMPLE_TABLE["gammas"].items():
        ref = reference_parameters(kappa)
        for g in gammas:
            model = (
                chapman_spitzer_d_star(g, ref["alpha"], ref["C"]) if g <= 2 else eyring_d_star(g, ref["A"], ref["B"])
            )
            d = float(model) * (1 + sr * rng.standard_normal())
            rows.append({"kappa": kappa, "gamma": g, "d_star": d, "d_star_stderr": sr * d})
    return pd.DataFrame(rows)


def write_example_table(path: str | os.PathLike[str]) -> Path:
    """Write ``resources/plasma_d_star_example.csv`` (:func:`example_d_star_table`, 8 digits).

    Parameters
    ----------
    path : str or path
        Target file.

    Returns
    -------
    pathlib.Path
    """
    head = ("# Example D* table (kineticflow.plasma.observation_diffusion.write_example_table): Daligault PRL 108,\n"
            "# 225004 (2012) Eq. 2 (Gamma <= 2) and Eq. 4 (Gamma >= 50) with the Table I parameters, 3 % scatter.\n"
            "# Replace with your own D*(kappa, Gamma): D* = D/(a^2 omega_p), d_star_stderr its standard error.\n")  # fmt: skip
    path = Path(path)
    path.write_text(head + example_d_star_table().to_csv(index=False, float_format="%.8g"))
    return path
