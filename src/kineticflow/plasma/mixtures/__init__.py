"""Binary ionic mixtures (BIM): per-species self-diffusion and the mixing rule (plasma paper Eqs 5–6, Table II).

Mirrors :mod:`kineticflow.plasma.ocp` over the shared MD engine :mod:`kineticflow.plasma.md`:

* :mod:`~kineticflow.plasma.mixtures.formulas` — units, collision frequency, Eqs 5–6, Chapman–Spitzer D₁₂;
* :mod:`~kineticflow.plasma.mixtures.md` — schedule, LAMMPS input, one run → per-species VACFs;
* :mod:`~kineticflow.plasma.mixtures.diffusion` — Green–Kubo D_j, mixing rule, collection, Table II;
* :mod:`~kineticflow.plasma.mixtures.fits` — per-species fits of Eqs 5 and 6;
* :mod:`~kineticflow.plasma.mixtures.impurity` — trace impurities (Fig. 3);
* :mod:`~kineticflow.plasma.mixtures.plots` and :mod:`~kineticflow.plasma.mixtures.config`.

The names below are re-exported so that ``from kineticflow.plasma.mixtures import Mixture`` works.
"""

from kineticflow.plasma.mixtures.diffusion import (
    TABLE2,
    collect_mixture_diffusion,
    mixture_from_dataset,
    mixture_run_diffusion,
    table2,
    table2_comparison,
)
from kineticflow.plasma.mixtures.fits import FIT_PARAMS, fit_mixture_models, fits_table
from kineticflow.plasma.mixtures.formulas import (
    Mixture,
    chapman_spitzer_d12,
    debye_over_rc,
    eq5_d_star,
    eq6_d_star,
    interdiffusion_d12,
    mixture_coupling,
    nu0,
    species_counts,
    temperature,
    units_factor,
)
from kineticflow.plasma.mixtures.md import mixture_lammps_input, mixture_schedule, simulate_mixture

__all__ = [
    "FIT_PARAMS",
    "TABLE2",
    "Mixture",
    "chapman_spitzer_d12",
    "collect_mixture_diffusion",
    "debye_over_rc",
    "eq5_d_star",
    "eq6_d_star",
    "fit_mixture_models",
    "fits_table",
    "interdiffusion_d12",
    "mixture_coupling",
    "mixture_from_dataset",
    "mixture_lammps_input",
    "mixture_run_diffusion",
    "mixture_schedule",
    "nu0",
    "simulate_mixture",
    "species_counts",
    "table2",
    "table2_comparison",
    "temperature",
    "units_factor",
]
