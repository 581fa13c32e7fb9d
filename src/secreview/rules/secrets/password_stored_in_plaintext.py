"""password-stored-in-plaintext: a password the user typed stored without a hash.

Whether assigning a typed password is right depends on the model's class, often in another
module (a `password` setter that hashes), so the decision is made on every module's facts
(`secreview.python.access`): this module holds the rule's documentation.
"""

from __future__ import annotations

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="password-stored-in-plaintext",
        cwe=256,
        severity="high",
        confidence="medium",
        title="Password stored as the user typed it",
        why=(
            "A stored password must be a slow salted hash: in plain text, anyone who reads "
            "the database (an SQL injection, a backup, a support tool) has every user's "
            "password, which users reuse on other sites."
        ),
        example="db.session.add(Account(email=email, password=request.form['password']))",
        fix=(
            "Store a salted slow hash (Argon2, scrypt, bcrypt or PBKDF2) of the password and "
            "compare with the library's verify function, never the typed text."
        ),
        fix_by_api=(
            FixText(
                ("django",),
                "Create users with `User.objects.create_user(...)` or call "
                "`user.set_password(raw)` (or `make_password(raw)`), which store Django's "
                "salted hash.",
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_sqlalchemy"),
                "Store `generate_password_hash(password)` (Werkzeug) or an Argon2/bcrypt hash, "
                "for example in a `password` setter of the model, and check it with "
                "`check_password_hash`.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/256.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
        ),
        kind="project",
    )
)
