"""Rule green_kubo: D*(kappa, Gamma) from the VACFs (Green-Kubo) with errors and the MSD check."""

from kineticflow.plasma.diffusion import collect_diffusion, diffusion_params
from kineticflow.core.io import logged, read_dataset, write_dataset

with logged(snakemake.log[0]):
    runs = [read_dataset(f, required=["vacf", "vacf_block", "msd"], dims=["lag"]) for f in snakemake.input]
    ds = collect_diffusion(runs, **diffusion_params(snakemake.params.green_kubo))
    print(ds[["d_star", "d_star_err", "d_star_msd"]].to_dataframe().dropna().to_string())
    write_dataset(
        ds,
        snakemake.output[0],
        source="Green-Kubo D = (1/3) int <v(t).v(0)> dt; Einstein MSD check",
        params={"green_kubo": snakemake.params.green_kubo},
        allow_nonfinite=list(ds.data_vars),
    )
