"""Use cases of the stakeholders app, one module per concern."""
