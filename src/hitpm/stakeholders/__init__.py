"""Stakeholders and communication: register, engagement, RACI, communication plan, meetings."""
