"""Project file exchange: MSPDI (Microsoft Project XML) and hitpm JSON readers and writers.

The readers turn files into :class:`hitpm.engine.model.ProjectSpec` so the scheduler never sees
file formats; the Django parts of this app (upload, history) come later.
"""
