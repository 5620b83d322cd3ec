"""Identifier rules shared by the models and by commands that run without Django."""

PROJECT_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,23}$"
