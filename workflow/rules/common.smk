import os
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

# The physics library lives in src/; make it importable here and in every job, so the
# workflow also runs from a plain checkout (and with --sdm conda).
_SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, _SRC)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_SRC, os.environ.get("PYTHONPATH", "")) if p
)

from kineticflow.config import ConfigError, check_schema, load_schema, validate_config

SCHEMA = str(Path(workflow.basedir) / "config" / "schema.yaml")
ENV = "../../envs/kineticflow.yaml"


def _validate(config):
    """Schema and cross-key checks; one line naming key, value and range, no traceback."""
    try:
        check_schema(config, load_schema(SCHEMA))
        validate(config, SCHEMA, set_default=True)
        validate_config(config, SCHEMA, workdir=workflow.basedir)
    except ConfigError as exc:
        sys.stderr.write(f"kineticflow: invalid config: {exc}\n")
        sys.exit(1)


_validate(config)


def fmt(x):
    """Format a number for a wildcard: 100.0 -> '100', 0.2 -> '0.2'."""
    return f"{float(x):g}"


FWHMS = [fmt(f) for f in config["trxs"]["pulse"]["fwhm_ps"]]
JITTERS = [fmt(j) for j in config["trxs"]["jitter"]["fractions"]]


wildcard_constraints:
    fwhm=r"[0-9]+(\.[0-9]+)?",
    jitter=r"[0-9]+(\.[0-9]+)?",
