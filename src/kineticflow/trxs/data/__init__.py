"""Files shipped with the trxs branch (read through kineticflow.core.data)."""
