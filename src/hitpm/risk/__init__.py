"""Risk management: the healthcare risk register, heat maps, schedule risk analysis, FMEA."""
