"""Pages of the risk area, one module per part."""
