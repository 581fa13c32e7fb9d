"""API errors."""


class AuthError(Exception):
    pass
