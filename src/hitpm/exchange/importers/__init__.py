"""Django side of imports: turn a parsed file into rows of a project, in one transaction."""
