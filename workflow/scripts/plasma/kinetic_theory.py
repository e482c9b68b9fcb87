"""Rule kinetic_theory: Boltzmann-Chapman-Enskog (and, for kappa = 0, Landau) D* at the MD points and on a curve."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma.kinetic_theory import kinetic_theory, weak_coupling_table

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input[0], required=["d_star", "d_star_err"], dims=["kappa", "gamma"])
    ds = kinetic_theory(d)
    print(
        ds[["gamma_measured", "d_star_ce", "d_star_landau", "ratio_md_ce"]].to_dataframe().dropna(how="all").to_string()
    )
    write_dataset(
        ds,
        snakemake.output.nc,
        source="Chapman-Enskog solution of the Boltzmann equation (2nd Sonine order); Landau test-particle factor",
        allow_nonfinite=list(ds.data_vars),
    )
    table = weak_coupling_table(ds, d)
    print(table.to_string())
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
