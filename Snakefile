# kineticflow: structural kinetics through finite x-ray pulses, and diffusion in plasmas.
# Read this file as the table of contents; the rules live in workflow/rules/.


import os

# config/config.yaml of the working directory if there is one (a deployed workflow),
# otherwise the defaults shipped beside this Snakefile (a clone run with --directory).
DEFAULT_CONFIG = (
    "config/config.yaml"
    if os.path.exists("config/config.yaml")
    else os.path.join(workflow.basedir, "config", "config.yaml")
)


configfile: DEFAULT_CONFIG


report: "workflow/report/workflow.rst"


# Shared set-up: config validation (schema + each branch's checks), fmt(), ENV, the report registry.
include: "workflow/rules/common.smk"
# One rules file per physics branch (each with its targets function), then the report.
include: "workflow/rules/trxs.smk"
include: "workflow/rules/plasma.smk"
include: "workflow/rules/escatter.smk"
include: "workflow/rules/halpha.smk"
include: "workflow/rules/xfh.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_targets(config),
        report_targets(BRANCH_REPORTS),
        RUN_CONFIG,
