"""kineticflow.plasma."""
