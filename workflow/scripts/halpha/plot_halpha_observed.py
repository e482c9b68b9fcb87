"""Rule plot_halpha_observed: pixel sequences, HXR vs wing width and velocity, maps of an observation."""

import pandas as pd

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.halpha import steps
from kineticflow.halpha.config import from_params

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    inp = snakemake.input
    figures = steps.plot_halpha_observed(
        read_dataset(inp.observed),
        read_dataset(inp.diagnostics),
        pd.read_csv(inp.recovered),
        read_dataset(inp.hxr[0]) if inp.hxr else None,
        tracked=p["observation"].tracked,
    )
    for name, fig in figures.items():
        save(fig, snakemake.output[name])
