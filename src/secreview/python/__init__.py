"""The Python analysis engine: parsing, symbols, API-misuse rules and taint tracking."""
