"""Rule fit_observed_diffusion_models: Eqs 2 and 4 of the plasma paper fitted to a user's D*; Table I beside."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma import steps
from kineticflow.plasma.config import FitSettings

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input[0], required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    fits, table, d_star = steps.fit_observed_diffusion_models(d, FitSettings(**snakemake.params.fits))
    print(table.to_string())
    write_dataset(fits, snakemake.output.nc, source="Daligault PRL 108, 225004 (2012) Eqs 2 and 4, Table I",
                  params={"fits": snakemake.params.fits}, allow_nonfinite=list(fits.data_vars))  # fmt: skip
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
    write_text(d_star.to_csv(index=False, float_format="%.6g"), snakemake.output.d_star_csv)
