"""Files shipped with the xfh branch (read through kineticflow.core.data)."""
