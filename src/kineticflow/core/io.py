"""netCDF input and output: the one place where datasets touch the disk.

Every rule of the workflow writes exactly one netCDF file through :func:`write_dataset`,
which writes to a temporary name in the target folder and renames it, so that a killed job
never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from kineticflow import package_version
from kineticflow.core.attrs import check_registered


class DataFileError(RuntimeError):
    """A netCDF file that is missing, unreadable, truncated or not what a rule expects."""


class ObservationError(DataFileError):
    """A user's data file that does not hold what its reader expects (one line: file, variable, expected)."""


def observation_error(path: str | os.PathLike[str], variable: str, problem: str, expected: str) -> ObservationError:
    """The one-line error of a bad data file: ``"<file>: <variable>: <problem>; expected <...>"``.

    Parameters
    ----------
    path : str or path
        The file read.
    variable : str
        The variable, column, dataset or attribute at fault.
    problem : str
        What was found.
    expected : str
        What the reader expects.

    Returns
    -------
    ObservationError
        To be raised by the caller; whitespace (newlines included) collapsed to single blanks.
    """
    return ObservationError(" ".join(f"{path}: {variable}: {problem}; expected {expected}".split()))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, hex (the provenance attribute ``source_file_sha256``)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class NonFiniteError(ValueError):
    """A data variable that holds NaN or Inf where a finite number is required."""


def _jsonable(value: Any) -> Any:
    """Convert an attribute value to something netCDF can store (str, number, array)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str, np.integer, np.floating)):
        return value
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return np.asarray(value, dtype=float)
    return json.dumps(value, default=str, sort_keys=True)


def flatten_attrs(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten a nested parameter mapping into netCDF-storable global attributes.

    Parameters
    ----------
    params : mapping
        Nested parameters, e.g. a section of the workflow config.
    prefix : str
        Prefix for the attribute names; nested keys are joined with ``"."``.

    Returns
    -------
    dict
        ``{"prefix.key.sub": value}`` with values converted to str, number or float array.
    """
    out: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten_attrs(value, prefix=f"{name}."))
        else:
            out[name] = _jsonable(value)
    return out


def check_finite(ds: xr.Dataset, source: str | os.PathLike[str] = "dataset") -> None:
    """Raise if any floating-point data variable of ``ds`` holds NaN or Inf.

    Parameters
    ----------
    ds : xarray.Dataset
        Dataset to check; only floating-point data variables are inspected.
    source : str or path
        Name used in the error message (usually the output file).

    Raises
    ------
    NonFiniteError
        Naming the variable, the file and how many values are not finite.
    """
    for name, var in ds.data_vars.items():
        if np.issubdtype(var.dtype, np.floating) or np.issubdtype(var.dtype, np.complexfloating):
            bad = int(np.count_nonzero(~np.isfinite(var.values)))
            if bad:
                raise NonFiniteError(
                    f"{source}: variable '{name}' has {bad} NaN/Inf value(s) of {var.size}; "
                    "refusing to write or pass on a non-finite result"
                )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    The rename (``os.replace``) is atomic on POSIX, so readers and a rerun after a kill see
    either the old file, no file, or the complete new one; never a half-written file. On an
    exception the temporary file is removed. The file gets the usual permissions (umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write a text file (CSV, HTML, YAML) atomically; see :func:`atomic_output`."""
    with atomic_output(path) as tmp:
        tmp.write_text(text)
    return Path(path)


def write_dataset(
    ds: xr.Dataset,
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    params: Mapping[str, Any] | None = None,
    allow_nonfinite: Iterable[str] = (),
) -> Path:
    """Write ``ds`` to ``path`` as netCDF-4, atomically.

    The file is written to a temporary name in the same folder and renamed over ``path``
    (``os.replace`` is atomic on POSIX), so an interrupted job leaves either no file or the
    complete one.

    Parameters
    ----------
    ds : xarray.Dataset
        The result. Every data variable and coordinate carries ``units`` (registered in
        :data:`kineticflow.core.attrs.UNITS`) and ``long_name`` attributes (CF conventions),
        and every dimension is registered in :data:`kineticflow.core.attrs.DIMS`.
    path : str or path
        Target file; its folder is created if needed.
    source : str, optional
        The equation(s) the dataset implements, stored as the global attribute ``source``.
    params : mapping, optional
        Parameters that produced the dataset, flattened into global attributes.
    allow_nonfinite : iterable of str
        Data variables allowed to hold NaN, meaning "missing" (a (κ, Γ) pair not simulated,
        a published value that does not exist); Inf is refused there too.

    Returns
    -------
    pathlib.Path
        The written path.

    Raises
    ------
    kineticflow.core.attrs.UnregisteredError
        If a variable or coordinate has a dimension outside :data:`kineticflow.core.attrs.DIMS`
        or a ``units`` attribute (missing counts) outside :data:`kineticflow.core.attrs.UNITS`;
        one line naming the file and the first offender. Nothing is written.
    NonFiniteError
        If a data variable not listed in ``allow_nonfinite`` holds NaN or Inf.
    """
    path = Path(path)
    check_registered(ds, source=str(path))
    allowed = set(allow_nonfinite)
    check_finite(ds.drop_vars([v for v in allowed if v in ds.data_vars]), source=path)
    for name in allowed & set(ds.data_vars):
        values = np.asarray(ds[name].values)
        if np.issubdtype(values.dtype, np.floating) and np.isinf(values).any():
            raise NonFiniteError(f"{path}: variable '{name}' holds Inf; only NaN (a missing point) is allowed there")
    ds = ds.copy()
    ds.attrs["kineticflow_version"] = package_version()
    if source is not None:
        ds.attrs["source"] = source
    if params:
        ds.attrs.update(flatten_attrs(params))
    for name in list(ds.attrs):
        ds.attrs[name] = _jsonable(ds.attrs[name])
    with atomic_output(path) as tmp:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4")
    return path


def read_dataset(
    path: str | os.PathLike[str],
    required: Iterable[str] = (),
    dims: Iterable[str] = (),
) -> xr.Dataset:
    """Read a netCDF file written by kineticflow fully into memory.

    Parameters
    ----------
    path : str or path
        File to read.
    required : iterable of str
        Data variables the caller needs.
    dims : iterable of str
        Dimensions the caller needs.

    Returns
    -------
    xarray.Dataset
        Loaded dataset (the file is closed on return).

    Raises
    ------
    DataFileError
        If the file is missing, truncated or not netCDF, or lacks a required variable or
        dimension; the message names the file and what is wrong.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: file does not exist")
    try:
        with xr.open_dataset(path, engine="netcdf4") as handle:
            ds = handle.load()
    except Exception as exc:  # netCDF4 raises OSError/RuntimeError/ValueError variously
        raise DataFileError(f"{path}: not a readable netCDF file (truncated or foreign?): {exc}") from exc
    missing = [v for v in required if v not in ds.data_vars]
    if missing:
        raise DataFileError(
            f"{path}: missing variable(s) {missing}; found {sorted(map(str, ds.data_vars))}. "
            "Was it produced by a different rule or an older kineticflow?"
        )
    missing_dims = [d for d in dims if d not in ds.dims]
    if missing_dims:
        raise DataFileError(f"{path}: missing dimension(s) {missing_dims}; found {sorted(map(str, ds.dims))}")
    return ds


def with_attrs(da: xr.DataArray, units: str, long_name: str, **extra: Any) -> xr.DataArray:
    """Return ``da`` with CF ``units`` and ``long_name`` attributes set.

    Superseded by :func:`kineticflow.core.attrs.variable` (the one constructor of attributed
    variables); kept while a branch still calls it.
    """
    da = da.copy()
    da.attrs.update({"units": units, "long_name": long_name, **extra})
    return da


@contextlib.contextmanager
def logged(log_path: str | os.PathLike[str] | None) -> Iterator[None]:
    """Send stdout, stderr and warnings of a rule's script to its log file.

    An exception is written to the log as one line (type and message) followed by the
    traceback, and to the real stderr as the one line; the script then exits with status 1
    (``SystemExit``), so the job fails without a Python traceback on the user's terminal.
    """
    if log_path is None:
        yield
        return
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    real_err = sys.stderr
    with open(log_path, "w") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
        logging.basicConfig(stream=fh, level=logging.INFO, force=True)
        try:
            yield
        except Exception as exc:
            line = f"kineticflow: {type(exc).__name__}: {exc}"
            fh.write(line + "\n")
            traceback.print_exc(file=fh)
            real_err.write(line + "\n")
            raise SystemExit(1) from None
