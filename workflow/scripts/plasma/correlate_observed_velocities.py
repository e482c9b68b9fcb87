"""Rule correlate_observed_velocities: a user's LAMMPS dump or H5MD velocities -> VACF and MSD per particle group."""

from kineticflow.core.io import logged, write_dataset, write_text
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    p = snakemake.params
    run, provenance = steps.correlate_observed_velocities(snakemake.input[0], p.format, p.reader, p.correlation)
    print(provenance.to_string(index=False))
    params = {"correlate_observed_velocities": {"format": p.format, "reader": p.reader, "correlation": p.correlation}}
    write_dataset(run, snakemake.output.nc, source="multi-origin FFT VACF and MSD of a user's velocities",
                  params=params, allow_nonfinite=["energy_drift"])  # fmt: skip
    write_text(provenance.to_csv(index=False), snakemake.output.provenance)
