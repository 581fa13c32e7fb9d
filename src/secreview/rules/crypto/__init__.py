"""Crypto and randomness: weak algorithms and modes, fixed IVs and nonces, short keys, fast
password hashes, and predictable values used where an attacker must not guess them."""
