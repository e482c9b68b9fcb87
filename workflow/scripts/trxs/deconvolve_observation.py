"""Rule deconvolve_observation: Tikhonov deconvolution and the Eq. 2 inversion of one observation, where they apply."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config import Deconvolution, Grid, Inversion, Weighting
from kineticflow.trxs.config_observed import KineticModel

with logged(snakemake.log[0]):
    p, out = snakemake.params, snakemake.output
    obs = read_dataset(snakemake.input.obs, required=["delta_s", "sigma"], dims=["q", "tau"])
    deconvolved, inverted = steps.deconvolve_observation(
        obs,
        KineticModel(**p.kinetic_model),
        Deconvolution.from_dict(p.deconvolution),
        Inversion.from_dict(p.inversion),
        Grid.from_dict(p.grid),
        Weighting.from_dict(p.weighting),
        snakemake.input.profile[0] if snakemake.input.profile else None,
    )
    for what, ds in (("deconvolution", deconvolved), ("inversion", inverted)):
        print(f"{snakemake.wildcards.observation}: {what} {ds.attrs['status']}")
    write_dataset(deconvolved, out.deconvolved, params={"deconvolution": p.deconvolution})
    write_dataset(inverted, out.inverted, params={"inversion": p.inversion})
