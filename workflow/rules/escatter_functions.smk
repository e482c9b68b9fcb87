# Functions of the e-scattering rules (escatter.smk): files, elements, targets.
# Kept apart from the rules (snakemake --lint: no functions beside rules).

from kineticflow.escatter.config import resolve_file as _escatter_file
from kineticflow.escatter.molecule import read_xyz as _read_xyz

ESCATTER = config["escatter"]
# the data file and the structure as input files (a path, else under the workflow folder, else
# the copy shipped in src/kineticflow/escatter/data)
ESCATTER_DATA = str(_escatter_file(ESCATTER["data_file"], workflow.basedir))
ESCATTER_MOLECULE = str(_escatter_file(ESCATTER["molecule"], workflow.basedir))
ESCATTER_ELEMENTS = (
    sorted(set(_read_xyz(ESCATTER_MOLECULE).symbols)) if enabled("escatter") else []
)
ESCATTER_FIGURES = [
    "results/escatter/figures/dcs.png",
    "results/escatter/figures/ics.png",
]


wildcard_constraints:
    element=r"[A-Z][a-z]?",


def escatter_targets():
    """Every e-scattering result and report figure ([] when escatter.enabled is false)."""
    if not enabled("escatter"):
        return []
    return [
        "results/escatter/measured.nc",
        "results/escatter/theory.nc",
        "results/escatter/ics.nc",
        "results/escatter/ics.csv",
    ] + ESCATTER_FIGURES


if enabled("escatter"):
    REPORT_TABLES["e-scattering"] = {"ics": "results/escatter/ics.csv"}
    HEADLINE["e-scattering: extrapolated ICS vs the paper's Table 1 row"] = [
        "results/escatter/ics.csv",
        "",
        [
            "energy_ev",
            "scale_factor",
            "scale_forward",
            "ics_extrapolated",
            "ics_uncertainty",
            "extrapolated_fraction",
            "ics_paper",
            "ics_theory",
        ],
    ]
    REPORT_INPUTS.extend(escatter_targets())
