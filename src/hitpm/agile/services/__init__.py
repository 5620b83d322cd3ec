"""Agile use cases: boards, items and moves, sprints, metrics, forecasts and the plan link."""
