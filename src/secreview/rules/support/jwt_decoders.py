"""The JWT libraries' decode functions, as the JWT rules look for them."""

from __future__ import annotations

PYJWT_DECODERS = frozenset(
    {"jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jwt.api_jwt.decode_complete"}
    | {"jwt.PyJWT.decode", "jwt.PyJWT.decode_complete", "jwt.api_jwt.PyJWT.decode"}
    | {"jwt.api_jws.decode", "jwt.PyJWS.decode", "jwt.api_jws.PyJWS.decode"}
)
JOSE_DECODERS = frozenset({"jose.jwt.decode"})
JWT_DECODERS = PYJWT_DECODERS | JOSE_DECODERS
