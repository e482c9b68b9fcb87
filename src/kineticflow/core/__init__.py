"""kineticflow.core."""
