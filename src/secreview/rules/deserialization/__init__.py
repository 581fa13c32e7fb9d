"""Deserialization: pickle, YAML and other object loaders fed untrusted bytes, and XML parsers
that resolve entities."""
