"""Users, PMO administrators, personal API tokens and login throttling."""
