import os
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

# The physics library lives in src/; make it importable here and in every job, so the
# workflow also runs from a plain checkout (and with --sdm conda).
_SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, _SRC)
# (set, not required: hence os.environ.update and no `envvars:` directive)
os.environ.update(
    PYTHONPATH=os.pathsep.join(p for p in (_SRC, os.getenv("PYTHONPATH", "")) if p)
)

from kineticflow.branches import all_targets, config_checks, reports
from kineticflow.config import (
    ConfigError,
    check_schema,
    coerce_numbers,
    config_digest,
    fill_defaults,
    load_schema,
    validate_config,
)
from kineticflow.config.run import (
    RUN_CONFIG,
    report_preflight,
    report_requested,
)
from kineticflow.core.noise import format_snr
from kineticflow.core.targets import (
    headline_spec,
    report_targets,
    table_csv,
    table_targets,
)

SCHEMA = str(Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
ENV = "../../envs/kineticflow.yaml"


def _validate(config):
    """Schema and cross-key checks; one line naming key, value and range, no traceback."""
    try:
        schema = load_schema(SCHEMA)
        # YAML 1.1 reads 1e2 as text: a number where the schema wants one
        coerce_numbers(config, schema)
        check_schema(config, schema)
        fill_defaults(config, schema)
        validate(
            config, SCHEMA, set_default=False
        )  # Snakemake's own check, same schema
        validate_config(config, SCHEMA, config_checks(workdir=workflow.basedir))
    except ConfigError as exc:
        sys.stderr.write(f"kineticflow: invalid config: {exc}\n")
        sys.exit(1)
    except Exception as exc:  # a check that crashed on an odd value: still one line
        sys.stderr.write(f"kineticflow: invalid config: {type(exc).__name__}: {exc}\n")
        sys.exit(1)


_validate(config)

# The --configfile files of this run (the defaults, config/config.yaml, come first implicitly),
# relative to the working directory where they lie inside it: recorded in results/config.yaml.
RUN_CONFIGFILES = [
    os.path.relpath(p) if not os.path.relpath(p).startswith("..") else str(p)
    for p in workflow.overwrite_configfiles
]


# What each branch shows in the report: kineticflow.<branch>.targets.report(config), collected
# through kineticflow.branches; report.smk turns them into tables, the summary's headline rows and
# the files the summary waits for.
BRANCH_REPORTS = reports(config)
