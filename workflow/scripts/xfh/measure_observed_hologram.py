"""Rule measure_observed_hologram: a user's hologram read, reference-subtracted and symmetrised."""

from kineticflow.core.io import logged, write_dataset, write_text
from kineticflow.xfh import PAPER, steps
from kineticflow.xfh.config import MeasureParams, WaveParams

with logged(snakemake.log[0]):
    p = snakemake.params
    meas, provenance = steps.measure_observed_hologram(
        snakemake.input[0], p.reader, MeasureParams(**p.measure), WaveParams(**p.wave), p.object_term
    )
    print(provenance.to_string(index=False))
    source = f"{PAPER}, Eq. 1 (reference subtraction) and m-3m symmetrisation of a measured hologram"
    params = {"measure_observed_hologram": {"reader": p.reader, "measure": p.measure}}
    write_dataset(meas, snakemake.output.nc, source=source, params=params)
    write_text(provenance.to_csv(index=False), snakemake.output.provenance)
