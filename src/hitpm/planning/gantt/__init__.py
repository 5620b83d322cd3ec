"""The interactive Gantt chart of a project's plan: its data, edits by drag, and exports."""
