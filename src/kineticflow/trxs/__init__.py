"""kineticflow.trxs."""
