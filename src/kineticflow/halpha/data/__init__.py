"""Files shipped with the halpha branch (read through kineticflow.core.data)."""
