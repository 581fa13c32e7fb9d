"""Configuration: framework settings that switch protection off (debug modes, host checks)."""
