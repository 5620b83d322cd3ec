"""Tamper-evident audit trail: append-only, hash-chained, field-level before and after."""
