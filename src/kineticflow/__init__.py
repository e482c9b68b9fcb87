"""kineticflow: kinetics and scattering physics as a Snakemake workflow.

One subpackage per physics branch (``trxs``, ``plasma``, ``xfh``, ``halpha``, ``escatter``) on a
shared core (``kineticflow.core``: I/O, attributes, grids, convolution, transforms, regularised
inversion, fitting, noise, form factors, package data). The Snakemake scripts in
``workflow/scripts/<branch>/`` only read inputs, call one function of this package and write the
result with :func:`kineticflow.core.io.write_dataset`.
"""

from __future__ import annotations

from functools import cache

__all__ = ["__version__", "package_version"]


@cache
def package_version() -> str:
    """The installed kineticflow version (``0.0.0+unknown`` from a bare source tree)."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - ~0.1 s, only when writing

    try:
        return version("kineticflow")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    """``kineticflow.__version__``, looked up on first use (keeps every job's start-up light)."""
    if name == "__version__":
        return package_version()
    raise AttributeError(f"module 'kineticflow' has no attribute {name!r}")
