"""Access-control rules decided on the whole project: which views check their callers, and
which policy defaults admit anyone (`facts.py`, `views.py`, `policies.py` per module in
phase 1; `project.py` on every module's facts in phase 2)."""
