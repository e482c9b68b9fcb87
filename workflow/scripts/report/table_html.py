"""Rule table_html: a result CSV as an HTML table for the report (the CSV stays beside it)."""

import pandas as pd

from kineticflow.core.io import logged, write_text
from kineticflow.core.report import table_html

with logged(snakemake.log[0]):
    title = snakemake.wildcards.table.replace("_", " ")
    note = f"Source: {snakemake.input[0]}"
    write_text(table_html(pd.read_csv(snakemake.input[0]), title, note), snakemake.output[0])
