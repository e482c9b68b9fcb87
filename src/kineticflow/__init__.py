"""kineticflow: structural kinetics seen through finite x-ray pulses, and plasma diffusion.

The physics lives in pure functions in the submodules; the Snakemake scripts in
``workflow/scripts`` only read inputs, call one function of this package and write the
result with :func:`kineticflow.core.io.write_dataset`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kineticflow")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
