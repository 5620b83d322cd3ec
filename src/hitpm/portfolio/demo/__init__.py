"""Demo data: a fictional health system's clinical IT portfolio, loaded by `hitpm demo`."""

from hitpm.portfolio.demo.loader import DemoSummary, load_demo, remove_demo

__all__ = ["DemoSummary", "load_demo", "remove_demo"]
