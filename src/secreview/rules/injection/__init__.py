"""Injection: request data that reaches an interpreter (SQL, shell, code, templates, LDAP, XPath,
headers, logs, regexes), and the checks that look like they stop it but do not."""
