"""Pages of the stakeholders area; thin: they check access and call the services."""
