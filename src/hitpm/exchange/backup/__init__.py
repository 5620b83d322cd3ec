"""hitpm JSON backups: a complete, versioned copy of one project and all it owns.

:mod:`.graph` finds every model of hitpm's apps that belongs to a project (by a chain of
foreign keys), :mod:`.dump` writes their rows, :mod:`.load` restores them with new ids. The
format is documented in ``docs/exchange.md``.
"""

FORMAT = "hitpm-project-backup"
VERSION = 1
