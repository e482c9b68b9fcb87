"""Rule collect_xfh_phases: one CSV row per reflection family and crystal (results/xfh/phases.csv)."""

import pandas as pd

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.xfh.phases import table_rows

with logged(snakemake.log[0]):
    rows = [row for path in snakemake.input for row in table_rows(read_dataset(path, required=["re_g"]))]
    write_text(pd.DataFrame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output[0])
