"""One-line construction of the attributed DataArrays of the Hα datasets."""

from __future__ import annotations

from typing import Any

import xarray as xr
from numpy.typing import ArrayLike

from kineticflow.core.io import with_attrs


def var(data: ArrayLike, dims: str | tuple[str, ...], units: str, long_name: str, **extra: Any) -> xr.DataArray:
    """``xarray.DataArray(data, dims)`` with ``units``, ``long_name`` and any further attributes."""
    return with_attrs(xr.DataArray(data, dims=dims), units, long_name, **extra)
