"""Rule atomic_amplitudes: f(theta), sigma_el, sigma_abs of one atom's optical potential."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.escatter import steps

with logged(snakemake.log[0]):
    ds = steps.atomic_amplitudes(snakemake.wildcards.element, **snakemake.params)
    write_dataset(ds, snakemake.output[0])
