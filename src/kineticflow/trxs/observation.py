"""A measured TRXS observation: difference curves ΔS(q, τ) with their errors, read into one contract.

Your own data
-------------

Measured difference curves (ID09, BioCARS, APS, LCLS, European XFEL, …) enter the analysis as one
dataset, the *observation contract*:

| name | dims | units | meaning |
|---|---|---|---|
| `delta_s` | (`q`, `tau`) | as in the file (`1` unless stated) | difference signal ΔS(q, τ) |
| `sigma` | (`q`, `tau`) | same as `delta_s` | standard error σ(q, τ) of ΔS, > 0 |
| `q` | (`q`) | `1/angstrom` | scattering vector, strictly increasing |
| `tau` | (`tau`) | `ps` | pump–probe delay, strictly increasing |

Global attributes: `sample` (what was measured), `source_file` (the file read), `source_file_sha256`
(its SHA-256), `q_unit_read` and `delay_unit_read` (the units as read, before conversion),
`reader` (`text`, `hdf5`, `netcdf` or `simulated`); a σ companion file adds `sigma_file`.

Delays need not be evenly spaced, and negative delays (before time zero) are data. Delays in fs,
ps, ns, us/µs, ms or s and q in 1/angstrom or 1/nm are converted on reading. A decreasing q or
delay axis is reversed; a repeated or unsorted one is refused (average repeated delays first).

Read a file with `read_observation(path, format, variables=None, q_unit="1/angstrom",
delay_unit="ps", sample=None)`:

* **text/CSV** (`format="text"`): a header row of delays, then one row per q: q in the first
  column, ΔS at each delay after it. Cells separated by commas, blanks or tabs; `#` starts a
  comment. The header may begin with a corner cell (`q`, any label) and its delays may carry a
  unit (`-100ps`, `1ns`, `10us`; without one, `delay_unit`). σ is a second block of the same
  layout in the same file (its header row starts it: a first cell such as `sigma`), or a companion
  file `<stem>_sigma<suffix>` (another name: `variables={"sigma": "name.txt"}`). UTF-8 or Latin-1.
* **HDF5**, including MATLAB v7.3 `.mat` files (`format="hdf5"` or `"mat"`): named datasets for q,
  the delays, ΔS and σ, by default `q`, `tau`, `delta_s`, `sigma`; other names through
  `variables`, e.g. `{"tau": "delay_ns", "delta_s": "I"}` with `delay_unit="ns"`. Matrices are
  accepted in either orientation (MATLAB stores the transpose) and singleton dimensions are
  squeezed. A square matrix is read with q along the stored axis 0 of an HDF5 file and along the
  rows of the MATLAB matrix of a `.mat` file.
* **netCDF** (`format="netcdf"`): the contract itself; the `units` attributes of q and τ, when
  present, override `q_unit` and `delay_unit`.

A file that cannot be read as an observation (a missing dataset, mismatched shapes, a
non-monotonic q or delay axis, NaN in ΔS, σ ≤ 0, an unknown unit) raises
`ObservationError` with one line: the file, the variable and what was expected.
`write_observation(ds, path, format)` writes each format (round trip: the same arrays back).

Then `kineticflow.core.svd.weighted_svd(obs.delta_s, obs.sigma)` counts the components above the
noise (SVD of ΔS/σ), and `kineticflow.trxs.global_fit.global_fit(obs, [T1, T2], fwhm_ps=...,
jitter=...)` fits exponentials convolved with the pulse: time constants, decay-associated spectra,
t₀, χ²_red. `resources/trxs_observed_example.txt` is a simulated example in the text layout (two
exponentials of 50 and 2000 ps and an offset, 100 ps pulse with 20 % jitter, SNR 20), written by
`kineticflow.trxs.observation_example.write_example`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import UNITS, coord, variable
from kineticflow.core.io import ObservationError, file_sha256, write_dataset
from kineticflow.core.io import observation_error as fail
from kineticflow.trxs.observation_formats import (
    DELAY_UNITS,
    Q_UNITS,
    RawObservation,
    read_hdf5,
    read_netcdf,
    resolve_format,
    unit_factor,
    write_hdf5,
)
from kineticflow.trxs.observation_text import read_text, write_text

__all__ = ["ObservationError", "make_observation", "read_observation", "write_observation"]


def _strictly_increasing(path: str | os.PathLike[str], label: str, values: NDArray[np.float64]) -> bool:
    """Whether ``values`` must be reversed; raises unless strictly monotonic and finite."""
    if not np.all(np.isfinite(values)):
        raise fail(path, label, "non-finite values", "finite values")
    step = np.diff(values)
    if np.all(step > 0):
        return False
    if np.all(step < 0):
        return True
    i = int(np.flatnonzero(step <= 0)[0] if step[0] > 0 else np.flatnonzero(step >= 0)[0])
    raise fail(
        path,
        label,
        f"not monotonic at index {i + 1} ({values[i]:g} then {values[i + 1]:g})",
        "strictly increasing or decreasing values",
    )


def _check_matrix(
    path: str | os.PathLike[str],
    label: str,
    values: NDArray[np.float64],
    axes: tuple[NDArray[np.float64], ...],
    positive: bool,
) -> None:
    """Shape (n_q, n_tau), finite values (and > 0 for σ); the first bad value named by its q and τ."""
    q, tau = axes
    if values.shape != (q.size, tau.size):
        raise fail(path, label, f"shape {values.shape}", f"(n_q, n_tau) = ({q.size}, {tau.size})")
    bad = ~np.isfinite(values) | (values <= 0 if positive else False)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        what = "value(s) <= 0 or not finite" if positive else "NaN/Inf value(s)"
        where = f"first at q = {q[i]:g} 1/angstrom, tau = {tau[j]:g} ps: {float(values[i, j])!r}"
        raise fail(
            path,
            label,
            f"{int(bad.sum())} {what} ({where})",
            "sigma > 0 everywhere" if positive else "finite values everywhere",
        )


def make_observation(
    q: ArrayLike,
    tau: ArrayLike,
    delta_s: ArrayLike,
    sigma: ArrayLike,
    *,
    sample: str,
    source_file: str = "",
    source_file_sha256: str = "",
    q_unit_read: str = "1/angstrom",
    delay_unit_read: str = "ps",
    reader: str = "simulated",
    signal_unit: str = "1",
    names: dict[str, str] | None = None,
    **attrs: Any,
) -> xr.Dataset:
    """The observation contract from arrays in 1/angstrom and ps, checked.

    Parameters
    ----------
    q : array_like, shape (n_q,)
        Scattering vector, 1/angstrom, strictly monotonic.
    tau : array_like, shape (n_tau,)
        Delays, ps, strictly monotonic (any spacing and sign).
    delta_s, sigma : array_like, shape (n_q, n_tau)
        Difference signal and its standard errors (finite; σ > 0), units ``signal_unit``.
    sample : str
        What was measured.
    source_file, source_file_sha256, q_unit_read, delay_unit_read, reader : str
        Provenance attributes.
    signal_unit : str
        Units of ΔS and σ, a unit of :data:`kineticflow.core.attrs.UNITS`.
    names : dict, optional
        Contract name → name in the file, for the error messages.
    **attrs
        Further global attributes.

    Returns
    -------
    xarray.Dataset
        The contract (module docstring); decreasing axes reversed.

    Raises
    ------
    ObservationError
        One line naming ``source_file``, the variable and what was expected.
    """
    where = source_file or "observation"
    label = {
        k: k if names is None or names[k] == k else f"'{names[k]}' ({k})" for k in ("q", "tau", "delta_s", "sigma")
    }
    if signal_unit not in UNITS:
        raise fail(
            where, label["delta_s"], f"unit {signal_unit!r} not registered", "a unit of kineticflow.core.attrs.UNITS"
        )
    q_arr, tau_arr = np.asarray(q, dtype=float), np.asarray(tau, dtype=float)
    ds_arr, sg_arr = np.asarray(delta_s, dtype=float), np.asarray(sigma, dtype=float)
    _check_matrix(where, label["delta_s"], ds_arr, (q_arr, tau_arr), positive=False)
    _check_matrix(where, label["sigma"], sg_arr, (q_arr, tau_arr), positive=True)
    if _strictly_increasing(where, label["q"], q_arr):
        q_arr, ds_arr, sg_arr = q_arr[::-1], ds_arr[::-1], sg_arr[::-1]
    if _strictly_increasing(where, label["tau"], tau_arr):
        tau_arr, ds_arr, sg_arr = tau_arr[::-1], ds_arr[:, ::-1], sg_arr[:, ::-1]
    qt = ("q", "tau")
    return xr.Dataset(
        {
            "delta_s": variable(ds_arr, qt, units=signal_unit, long_name="difference signal Delta S(q, tau), measured"),
            "sigma": variable(sg_arr, qt, units=signal_unit, long_name="standard error sigma(q, tau) of Delta S"),
        },
        coords={"q": coord("q", q_arr), "tau": coord("tau", tau_arr)},
        attrs={
            "sample": sample,
            "source_file": source_file,
            "source_file_sha256": source_file_sha256,
            "q_unit_read": q_unit_read,
            "delay_unit_read": delay_unit_read,
            "reader": reader,
            **attrs,
        },
    )


def _read_raw(path: Path, kind: str, variables: dict[str, str] | None, delay_unit: str) -> RawObservation:
    if kind == "text":
        unknown = set(variables or {}) - {"sigma"}
        if unknown:
            raise fail(
                path, "variables", f"key(s) {sorted(unknown)} for a text file", "only 'sigma' (the companion file)"
            )
        return read_text(path, sigma_file=(variables or {}).get("sigma"), delay_unit=delay_unit)
    if kind in ("hdf5", "mat"):
        return read_hdf5(path, variables)
    return read_netcdf(path, variables)


def read_observation(
    path: str | os.PathLike[str],
    format: str | None = None,  # noqa: A002 - the name users know
    variables: dict[str, str] | None = None,
    q_unit: str = "1/angstrom",
    delay_unit: str = "ps",
    sample: str | None = None,
    signal_unit: str | None = None,
) -> xr.Dataset:
    """Read a measured observation (text/CSV, HDF5/MATLAB v7.3, netCDF) into the contract.

    Parameters
    ----------
    path : str or path
        The file.
    format : str, optional
        ``text`` (``csv``, ``txt``), ``hdf5`` (``h5``, ``mat``) or ``netcdf`` (``nc``); default
        from the suffix.
    variables : dict, optional
        HDF5/netCDF: contract name (``q, tau, delta_s, sigma``) → name in the file. Text: only
        ``sigma``, the companion file of σ.
    q_unit : str
        Unit of q in the file: ``1/angstrom`` (``1/A``, ``A^-1``, ``1/Å``) or ``1/nm``.
    delay_unit : str
        Unit of the delays in the file: ``fs, ps, ns, us, µs, ms, s`` (text labels such as
        ``100ps`` and netCDF ``units`` attributes take precedence).
    sample : str, optional
        What was measured (default: the file's ``sample`` attribute, else the file's stem).
    signal_unit : str, optional
        Units of ΔS and σ (default: the netCDF ``units`` attribute, else ``"1"``).

    Returns
    -------
    xarray.Dataset
        The contract: ``delta_s(q, tau)``, ``sigma(q, tau)``, q in 1/angstrom, τ in ps.

    Raises
    ------
    ObservationError
        A :class:`kineticflow.core.io.DataFileError`, one line: file, variable, what was expected.
    """
    path = Path(path)
    kind = resolve_format(path, format)
    if not path.exists():
        raise fail(path, "file", "does not exist", f"a {kind} file")
    raw = _read_raw(path, kind, variables, delay_unit)
    q_read = raw.q_unit or q_unit
    units = tuple(u or delay_unit for u in raw.delay_units) or (delay_unit,) * raw.tau.size
    tau_label = raw.names["tau"] if raw.names["tau"] == "tau" else f"'{raw.names['tau']}' (tau)"
    factors = np.array([unit_factor(path, tau_label, u, DELAY_UNITS) for u in units])
    q_factor = unit_factor(path, "q" if raw.names["q"] == "q" else f"'{raw.names['q']}' (q)", q_read, Q_UNITS)
    extra = {k: v for k, v in raw.attrs.items() if k == "sigma_file"}
    return make_observation(
        raw.q * q_factor,
        raw.tau * factors,
        raw.delta_s,
        raw.sigma,
        sample=sample if sample is not None else str(raw.attrs.get("sample", path.stem)),
        source_file=str(path),
        source_file_sha256=file_sha256(path),
        q_unit_read=q_read,
        delay_unit_read=",".join(sorted(set(units))),
        reader="hdf5" if kind == "mat" else kind,
        signal_unit=signal_unit or str(raw.attrs.get("signal_unit", "1")),
        names=raw.names,
        **extra,
    )


def write_observation(
    ds: xr.Dataset,
    path: str | os.PathLike[str],
    format: str | None = None,  # noqa: A002 - as read_observation
    *,
    variables: dict[str, str] | None = None,
    q_unit: str = "1/angstrom",
    delay_unit: str = "ps",
    digits: int | None = None,
    companion: bool = False,
) -> Path:
    """Write an observation in one of the formats :func:`read_observation` reads.

    Parameters
    ----------
    ds : xarray.Dataset
        The contract (q in 1/angstrom, τ in ps).
    path : str or path
        Target file.
    format : str, optional
        ``text``, ``hdf5``, ``mat`` (MATLAB v7.3 layout: a transposed ΔS) or ``netcdf``;
        default from the suffix.
    variables : dict, optional
        HDF5: dataset names (as for :func:`read_observation`).
    q_unit, delay_unit : str
        Units to store q and the delays in (text and HDF5; netCDF stays in the contract's).
    digits : int, optional
        Text: significant digits of ΔS and σ (default: exact, the shortest round-trip text).
    companion : bool
        Text: σ in ``<stem>_sigma<suffix>`` instead of a second block.

    Returns
    -------
    pathlib.Path
        The (main) file written.

    Raises
    ------
    ObservationError
        For an unknown format or unit.
    """
    path = Path(path)
    kind = resolve_format(path, format)
    obs = ds.transpose("q", "tau")
    if kind == "netcdf":
        if (q_unit, delay_unit) != ("1/angstrom", "ps") or variables:
            raise ValueError("netCDF is written in the contract itself: no variables, q_unit or delay_unit")
        return write_dataset(obs, path)
    q = obs["q"].values / unit_factor(path, "q", q_unit, Q_UNITS)
    tau = obs["tau"].values / unit_factor(path, "tau", delay_unit, DELAY_UNITS)
    names = dict(zip(("q", "tau", "delta_s", "sigma"), ("q", "tau", "delta_s", "sigma"))) | (variables or {})
    raw = RawObservation(
        q,
        tau,
        obs["delta_s"].values,
        obs["sigma"].values,
        q_unit,
        (delay_unit,) * tau.size,
        names,
        {"sample": obs.attrs.get("sample", "")},
    )
    if kind in ("hdf5", "mat"):
        return write_hdf5(raw, path, matlab=kind == "mat")
    comments = [f"sample: {raw.attrs['sample']}", f"q ({q_unit}) in the first column, delays ({delay_unit}) in the header row",
                "block 1: delta_s; block 2: sigma" if not companion else "delta_s; sigma in the companion file"]  # fmt: skip
    return write_text(raw, path, comments=comments, digits=digits, companion=companion)[0]
