"""Plans: calendars, the WBS of tasks, dependencies, and the dates the engine computes."""
