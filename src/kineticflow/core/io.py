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
import signal
import sys
import tempfile
import threading
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
    """The process umask, read without changing it where the system shows it (Linux /proc).

    ``os.umask`` can only be read by setting it; between the two calls another thread's new
    file would get the temporary mask. /proc/self/status has the value; elsewhere the
    temporary mask is the strict 0o077.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def plain_mode() -> int:
    """The permission bits a plain ``open(path, "w")`` gives a new file: ``0o666 & ~umask``.

    Returns
    -------
    int
        E.g. ``0o644`` under the usual umask 022, ``0o664`` under 002 (group-shared folders).
    """
    return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    The rename (``os.replace``) is atomic on POSIX, so readers and a rerun after a kill see
    either the old file, no file, or the complete new one; never a half-written file. On an
    exception the temporary file is removed. The file gets the mode a plain ``open`` would
    give it (:func:`plain_mode`, from the umask), not the 0600 of :func:`tempfile.mkstemp`: on
    a shared file system colleagues read the results as they read every other file. Every
    file kineticflow writes through a temporary name goes through here.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, plain_mode())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def interrupt_deferred() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) until the block ends, then raise it (KeyboardInterrupt).

    An interrupt inside xarray's netCDF4 write or read leaves xarray's HDF5 file lock held,
    and xarray's own clean-up (closing the file) then waits for that lock forever: the job,
    and the Snakemake that waits for it, hang after Ctrl-C instead of stopping. Around those
    calls the interrupt waits the fraction of a second they take. Only the main thread can
    set signal handlers; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(signal.SIGINT, None)  # Python's handler: raises KeyboardInterrupt here
            elif previous == signal.SIG_DFL:
                os.kill(os.getpid(), signal.SIGINT)


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
    with atomic_output(path) as tmp, interrupt_deferred():
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
        with interrupt_deferred(), xr.open_dataset(path, engine="netcdf4") as handle:
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
