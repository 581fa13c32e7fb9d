"""Web: what a web application sends back and lets the browser do (XSS, redirects, cookies,
CORS, CSRF, sessions and trust boundaries)."""
