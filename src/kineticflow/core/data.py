"""Reference data shipped inside the package, read through :mod:`importlib.resources`.

Each branch keeps its tables in ``kineticflow/<branch>/data/`` (declared as package data in
``pyproject.toml``), so an installed wheel finds them as well as a source checkout does.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

import pandas as pd


def data_file(package: str, name: str) -> Traversable:
    """The shipped file ``name`` of ``package`` (e.g. ``"kineticflow.plasma.data"``).

    Raises
    ------
    FileNotFoundError
        If the package ships no such file.
    """
    path = files(package).joinpath(name)
    if not path.is_file():
        raise FileNotFoundError(f"{package} ships no data file {name!r}")
    return path


def read_csv(package: str, name: str, **kwargs) -> pd.DataFrame:
    """Read a shipped CSV table into a DataFrame (``#`` starts a comment line)."""
    kwargs.setdefault("comment", "#")
    with data_file(package, name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, **kwargs)
