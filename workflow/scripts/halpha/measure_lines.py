"""Rule measure_lines: difference spectra, bisectors, reversal, wings, core width, slit deconvolution."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha.measure import measure_lines

with logged(snakemake.log[0]):
    p = dict(snakemake.params)
    ds = measure_lines(read_dataset(snakemake.input.observed), read_dataset(snakemake.input.truth), p)
    nan_ok = [
        "bisector_velocity",
        "velocity",
        "velocity_noise_free",
        "reversal_depth",
        "wing_extent",
        "core_fwhm",
        "rest_centre_intensity",
    ]
    write_dataset(ds, snakemake.output[0], params=p, allow_nonfinite=nan_ok)
