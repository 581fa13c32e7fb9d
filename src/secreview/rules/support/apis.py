"""The qualified-name prefixes of web frameworks, shared by the fix texts of several rules."""

FLASK = ("flask", "quart", "werkzeug")
DJANGO = ("django", "rest_framework")
FASTAPI = ("fastapi", "starlette")
