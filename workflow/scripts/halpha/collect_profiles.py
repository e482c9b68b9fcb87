"""Rule collect_profiles: the grid cases stacked into intensity(p0, f20, wavelength)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha.profiles import collect_profiles

with logged(snakemake.log[0]):
    p = snakemake.params
    cases = [read_dataset(path) for path in snakemake.input.cases]
    ds = collect_profiles(cases, p.p0_grid, p.f20_grid, read_dataset(snakemake.input.quiet))
    write_dataset(ds, snakemake.output[0], params={"p0_grid": p.p0_grid, "f20_grid": p.f20_grid})
