"""Rule collect_observed_xfh_phases: phases.csv of one observation (the columns of results/xfh/phases.csv)."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.xfh import steps

with logged(snakemake.log[0]):
    table = steps.collect_observed_xfh_phases(read_dataset(snakemake.input[0], required=["re_g"]))
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output[0])
