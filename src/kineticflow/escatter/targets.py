"""Files of the e-scattering rules: result targets, the report entry, input files and elements.

Plain functions of the config (and of ``basedir``, the workflow folder, where a configured path
resolves against it), called by ``workflow/rules/escatter.smk`` and by
:mod:`kineticflow.branches`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled
from kineticflow.escatter.molecule import INTERFERENCE, read_xyz

#: Files shipped with the package (the default data table and structure)
DATA_DIR = Path(__file__).resolve().parent / "data"
#: Report category of the branch's figures and tables
CATEGORY = "e-scattering"
RESULTS = "results/escatter"
FIGURES = (f"{RESULTS}/figures/dcs.png", f"{RESULTS}/figures/ics.png")
#: Columns of ics.csv shown on the report's first page
HEADLINE_COLUMNS = (
    "energy_ev",
    "scale_factor",
    "scale_forward",
    "ics_extrapolated",
    "ics_uncertainty",
    "extrapolated_fraction",
    "ics_paper",
    "ics_theory",
)
#: Columns of ics.csv in the headline of the interference choices (molecule.INTERFERENCE order)
CHOICE_COLUMNS = (
    "energy_ev",
    "ics_paper",
    *(f"{q}_{w}" for q in ("ics_extrapolated", "ics_ratio", "ics_theory", "forward_share") for w in INTERFERENCE),
)


def resolve_file(name: str | os.PathLike[str], basedir: str | os.PathLike[str] = ".") -> Path:
    """A data or structure file: the path as given, else relative to ``basedir``, else package data.

    Parameters
    ----------
    name : str or path
        As configured.
    basedir : str or path
        The workflow folder.

    Returns
    -------
    pathlib.Path
        The first candidate that is a file; ``name`` itself if none is (the config check then
        reports it).
    """
    p = Path(name)
    for cand in (p, Path(basedir) / p, DATA_DIR / p):
        if cand.is_file():
            return cand
    return p


def data_file(config: Mapping[str, Any], basedir: str | os.PathLike[str]) -> str:
    """The measured-DCS table of ``escatter.data_file``, resolved (:func:`resolve_file`)."""
    return str(resolve_file(config["escatter"]["data_file"], basedir))


def molecule_file(config: Mapping[str, Any], basedir: str | os.PathLike[str]) -> str:
    """The structure (.xyz) of ``escatter.molecule``, resolved (:func:`resolve_file`)."""
    return str(resolve_file(config["escatter"]["molecule"], basedir))


def elements(config: Mapping[str, Any], basedir: str | os.PathLike[str]) -> list[str]:
    """Sorted element symbols of the molecule (one atomic_amplitudes job each); [] when disabled."""
    if not enabled(config, "escatter"):
        return []
    return sorted(set(read_xyz(molecule_file(config, basedir)).symbols))


def targets(config: Mapping[str, Any]) -> list[str]:
    """Every e-scattering result and report figure ([] when ``escatter.enabled`` is false)."""
    if not enabled(config, "escatter"):
        return []
    return [
        f"{RESULTS}/measured.nc",
        f"{RESULTS}/theory.nc",
        f"{RESULTS}/ics.nc",
        f"{RESULTS}/ics.csv",
        *FIGURES,
    ]


def report(config: Mapping[str, Any]) -> BranchReport:
    """The branch's part of the report: the ICS table, its headline and the interference choices."""
    csv = f"{RESULTS}/ics.csv"
    return BranchReport(
        category=CATEGORY,
        tables={"ics": csv},
        headlines=(
            Headline("e-scattering: extrapolated ICS vs the paper's Table 1 row", csv, "", HEADLINE_COLUMNS),
            Headline(
                "e-scattering: the ICS with each interference weighting (none = IAM-SCAR, sqrt, product) "
                "vs the paper's row; forward share = theory ICS below the smallest measured angle",
                csv,
                "",
                CHOICE_COLUMNS,
            ),
        ),
        inputs=tuple(targets(config)),
    )
