"""Taint rules: one module per sink family (rule id, CWE, docs, sink specs)."""
