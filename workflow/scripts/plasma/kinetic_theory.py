"""Rule kinetic_theory: Boltzmann-Chapman-Enskog (and, for kappa = 0, Landau) D* at the MD points and on a curve."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input[0], required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    ds, table = steps.kinetic_theory(d)
    print(table.to_string())
    write_dataset(
        ds,
        snakemake.output.nc,
        source="Chapman-Enskog solution of the Boltzmann equation (2nd Sonine order); Landau test-particle factor",
        allow_nonfinite=list(ds.data_vars),
    )
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
