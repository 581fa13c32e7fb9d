"""secreview: security code review for Python."""

__version__ = "0.1.0"
