"""Rule extrapolate_ics: scale fit of the theory to the data, extrapolation, ICS and its budget."""

from kineticflow.core.io import atomic_output, logged, read_dataset, write_dataset
from kineticflow.escatter import analysis, steps

with logged(snakemake.log[0]):
    ds, table = steps.extrapolate_ics(
        read_dataset(snakemake.input.measured), read_dataset(snakemake.input.theory), **snakemake.params
    )
    write_dataset(ds, snakemake.output.nc, allow_nonfinite=analysis.MAY_BE_NAN)
    with atomic_output(snakemake.output.csv) as tmp:
        table.to_csv(tmp, index=False)
