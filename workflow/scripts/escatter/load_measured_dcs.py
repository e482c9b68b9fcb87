"""Rule load_measured_dcs: the measured absolute DCS table (CSV) as a Dataset (energy, angle)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.escatter.measured import load_measured_dcs

with logged(snakemake.log[0]):
    ds = load_measured_dcs(snakemake.input[0])
    write_dataset(
        ds,
        snakemake.output[0],
        source=snakemake.input[0],
        allow_nonfinite=("dcs", "dcs_uncertainty", "ics_paper", "ics_paper_uncertainty"),
    )
