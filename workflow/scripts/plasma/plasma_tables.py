"""Rule plasma_tables: the report's formatted copies of fits.csv and d_star.csv (value +- error, % differences)."""

import pandas as pd

from kineticflow.core.io import logged, write_text
from kineticflow.plasma.tables import d_star_report_table, fits_report_table

with logged(snakemake.log[0]):
    fits = fits_report_table(pd.read_csv(snakemake.input.fits))
    d_star = d_star_report_table(pd.read_csv(snakemake.input.d_star))
    print(fits.to_string(), d_star.to_string(), sep="\n")
    write_text(fits.to_csv(index=False), snakemake.output.model_parameters)
    write_text(d_star.to_csv(index=False), snakemake.output.d_star)
