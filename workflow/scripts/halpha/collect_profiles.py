"""Rule collect_profiles: the grid cases stacked into intensity(p0, f20, wavelength)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha import steps

with logged(snakemake.log[0]):
    p = dict(snakemake.params)
    cases = [read_dataset(path) for path in snakemake.input.cases]
    ds = steps.collect_profiles(cases, read_dataset(snakemake.input.quiet), **p)
    write_dataset(ds, snakemake.output[0], params=p)
