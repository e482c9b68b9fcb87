"""Rule load_measured_dcs: the measured absolute DCS table (CSV) as a Dataset (energy, angle)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.escatter import observation, steps

with logged(snakemake.log[0]):
    ds = steps.load_measured_dcs(snakemake.input[0], **snakemake.params)
    write_dataset(ds, snakemake.output[0], allow_nonfinite=observation.MAY_BE_NAN)
