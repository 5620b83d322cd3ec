"""Agile pages: boards, backlog and sprint planning, sprints, flow metrics and forecasts."""
