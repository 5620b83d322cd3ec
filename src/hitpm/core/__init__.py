"""Shared building blocks: versioned audited records, project access rules, API helpers."""
