"""Django side of exports: read a project's rows into the shapes the pure writers take."""
