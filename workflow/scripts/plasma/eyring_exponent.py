"""Rule eyring_exponent: free-exponent Eyring fit D* = (A/Gamma^s) exp(-gamma Gamma/Gamma_m) per kappa (footnote 18)."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma import steps
from kineticflow.plasma.config import FitSettings

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["B", "B_stderr"], dims=["kappa"])
    ds, table = steps.eyring_exponent(d, fits, FitSettings(**snakemake.params.fits))
    print(table.to_string())
    write_dataset(ds, snakemake.output.nc, source="Daligault PRL 108, 225004 (2012), footnote 18 and Table I",
                  params={"fits": snakemake.params.fits}, allow_nonfinite=list(ds.data_vars))  # fmt: skip
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
