"""Portfolios, projects and per-project membership with roles."""
