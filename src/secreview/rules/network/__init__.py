"""Network and TLS: server-side request forgery, disabled or weak TLS, cleartext protocols,
unverified SSH hosts, listening everywhere, and requests without timeouts."""
