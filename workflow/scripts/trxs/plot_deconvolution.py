"""Rule plot_deconvolution: error of deconvolution vs SNR, fitted vs true parameters, summary tables."""

from kineticflow.core.io import logged
from kineticflow.trxs.deconvolution_report import deconvolution_report

with logged(snakemake.log[0]):
    deconvolution_report(
        list(snakemake.input.deconvolved),
        list(snakemake.input.fits),
        list(snakemake.output.figures),
        snakemake.output.fit_table,
        snakemake.output.deconvolution_table,
    )
