"""Pure computational core: calendars, CPM, levelling, Monte Carlo, flow, EVM, DCMA.

Nothing in this package imports Django or touches files or the network; callers hand it plain
dataclasses (see :mod:`hitpm.engine.model`) or numpy arrays and get the same back.
"""
