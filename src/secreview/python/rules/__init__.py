"""API-misuse rules: one module per rule, each registering itself on import."""
