"""Built-in section providers; importing this package registers them."""

from hitpm.reports import rag
from hitpm.reports.providers import delivery, plan, risks, stakeholders

__all__ = ["delivery", "plan", "rag", "risks", "stakeholders"]
