"""Secrets: passwords, keys and tokens written in the source, sent in URLs, or leaked to logs."""
