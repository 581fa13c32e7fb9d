"""Taint specifications as data, one module per framework or library family.

Each module may define SOURCES, SINKS, SANITIZERS, GUARDS, HANDLERS, REQUEST_OBJECTS,
NON_PROPAGATING_METHODS, SESSION_OBJECTS, RESPONSE_TYPES, ENVIRON_KEYS and DERIVED
(see `secreview.python.taint.spec`).
"""
