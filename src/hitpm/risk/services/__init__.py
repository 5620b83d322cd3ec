"""Use cases of the risk app, one module per concern."""
