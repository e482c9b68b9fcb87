"""Rule run_config: results/config.yaml, the whole config of this run (defaults filled in).

The one script that reads ``snakemake.config``: the config itself is what it writes. The rule's
params carry only its digest and the ``--configfile`` names; summarise_run and
``snakemake --report`` read the file.
"""

from kineticflow.config.run import run_config_text
from kineticflow.core.io import logged, write_text

with logged(snakemake.log[0]):
    p = snakemake.params
    write_text(run_config_text(snakemake.config, p.sha256, p.configfiles), snakemake.output[0])
