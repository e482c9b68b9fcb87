"""Rule extrapolate_ics: scale fit, extrapolation, ICS and its budget (and with each interference weighting)."""

from kineticflow.core.io import atomic_output, logged, read_dataset, write_dataset
from kineticflow.escatter import results, steps

with logged(snakemake.log[0]):
    ds, table = steps.extrapolate_ics(
        read_dataset(snakemake.input.measured), read_dataset(snakemake.input.theory), **snakemake.params
    )
    write_dataset(ds, snakemake.output.nc, allow_nonfinite=results.MAY_BE_NAN)
    with atomic_output(snakemake.output.csv) as tmp:
        table.to_csv(tmp, index=False)
