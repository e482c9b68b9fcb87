"""Rule atomic_amplitudes: f(theta), sigma_el, sigma_abs of one atom's optical potential."""

import numpy as np

from kineticflow.core.io import logged, write_dataset
from kineticflow.escatter.theory import atomic_amplitudes

with logged(snakemake.log[0]):
    p = snakemake.params
    angles = np.linspace(0.0, 180.0, int(round(180.0 / p.angle_step_deg)) + 1)
    n = p.numerics
    ds = atomic_amplitudes(
        snakemake.wildcards.element,
        p.energies_ev,
        angles,
        absorption=p.absorption,
        r_max=n["r_max_bohr"],
        l_total=n["l_total"],
        step=n["log_step"],
    )
    write_dataset(ds, snakemake.output[0], params={"absorption": p.absorption, "numerics": n})
