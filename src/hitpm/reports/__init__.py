"""Status reports generated from live project data for a chosen audience."""
