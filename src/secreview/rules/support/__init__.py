"""What several rules share: the pattern-rule base (`pattern`), name and binding helpers, and
the knowledge of secrets, crypto, cookies and web settings. Nothing here is a rule."""
