"""Project-wide wiring: settings, URLs, WSGI."""
