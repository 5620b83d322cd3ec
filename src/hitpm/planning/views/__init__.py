"""Pages of the planning workspace: task table, task page, baselines, progress, resources,
schedule health. Thin: permissions from portfolio.access, work in the services."""
