"""Rule fit_observation_kinetics: the global kinetic model (exponentials or diatomic) fitted to one observation."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.trxs import steps
from kineticflow.trxs.config import KineticFit, Weighting
from kineticflow.trxs.config_observed import KineticModel
from kineticflow.trxs.model import DiatomicModel

#: standard errors that may be NaN (a parameter held, a singular covariance)
STDERR = ["stderr", "time_constant_stderr", "das_stderr", "offset_stderr", "t0_stderr"]

with logged(snakemake.log[0]):
    p, out = snakemake.params, snakemake.output
    obs = read_dataset(snakemake.input.obs, required=["delta_s", "sigma"], dims=["q", "tau"])
    fit, table = steps.fit_observation_kinetics(
        obs,
        KineticModel(**p.kinetic_model),
        DiatomicModel(**p.model),
        KineticFit.from_dict(p.kinetic_fit),
        Weighting.from_dict(p.weighting),
        snakemake.input.profile[0] if snakemake.input.profile else None,
    )
    print(table)
    write_dataset(fit, out.nc, allow_nonfinite=STDERR)
    write_text(table, out.csv)
