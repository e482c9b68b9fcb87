"""Rule read_halpha_observation: an observed raster or imaging cube read into the observation contract."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.halpha import steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    ds = steps.read_halpha_observation(list(snakemake.input), **p)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p))
