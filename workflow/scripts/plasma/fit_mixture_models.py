"""Rule fit_mixture_models: per-species fits of Eq. 5 (alpha_j, C'_j) and Eq. 6 (A_j, B_j)."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma import steps
from kineticflow.plasma.config import FitSettings

with logged(snakemake.log[0]):
    required = ["d_1", "d_2", "d_1_stderr", "d_2_stderr"]
    d = read_dataset(snakemake.input[0], required=required, dims=["mixture", "gamma"])
    fits, table = steps.fit_mixture_models(d, FitSettings(**snakemake.params.fits))
    print(table.to_string())
    write_dataset(fits, snakemake.output.nc, source="Daligault PRL 108, 225004 (2012) Eqs 5 and 6 per species",
                  params={"fits": snakemake.params.fits}, allow_nonfinite=list(fits.data_vars))  # fmt: skip
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
