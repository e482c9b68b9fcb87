"""Rule collect_xfh_phases: one CSV row per reflection family and crystal (results/xfh/phases.csv)."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.xfh import steps

with logged(snakemake.log[0]):
    table = steps.collect_xfh_phases(read_dataset(path, required=["re_g"]) for path in snakemake.input)
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output[0])
