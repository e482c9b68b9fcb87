"""Errors of the MD layer: LAMMPS could not run, or a run failed its quality checks."""

from __future__ import annotations


class MDError(RuntimeError):
    """LAMMPS could not be found or started, or stopped with an error."""


class MDQualityError(RuntimeError):
    """An MD run whose energy drift, temperature or lost atoms exceed the allowed limits.

    Such a run is never written as a result, so it cannot reach a fit.
    """
