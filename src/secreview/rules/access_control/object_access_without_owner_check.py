"""object-access-without-owner-check: an object fetched by the request's id, not scoped to
the user, where the project's other views on that model are.

The decision needs the whole project (`secreview.python.access`): this module holds the
rule's documentation.
"""

from __future__ import annotations

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="object-access-without-owner-check",
        cwe=639,
        severity="high",
        confidence="medium",
        title="Object fetched by a client-supplied id without checking who owns it",
        why=(
            "The view takes the object's id from the URL or the request and changes or "
            "returns that object for any signed-in user; the project's other views on the "
            "same model check that it belongs to the user, so this one lets a user read or "
            "change other users' objects by changing the id (an insecure direct object "
            "reference)."
        ),
        example=(
            "@login_required\ndef dispute_invoice(request, pk):\n"
            "    invoice = get_object_or_404(Invoice, pk=pk)  # anyone's invoice\n"
            "    invoice.disputed = True\n    invoice.save()"
        ),
        fix=(
            "Scope the query to the signed-in user as the other views do (filter by the owner "
            "in the same query), or check the owner before using the object and answer 404."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Fetch it within the user's objects: `get_object_or_404(Invoice, pk=pk, "
                    "customer=request.user)` (or a `get_queryset` filtered by "
                    "`self.request.user`), as the app's other views do."
                ),
            ),
            FixText(
                ("flask", "quart", "flask_login", "flask_sqlalchemy"),
                (
                    "Fetch it within the user's objects: `Note.query.filter_by(id=note_id, "
                    "owner_id=current_user.id).first_or_404()`, as the other views do."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/639.html",
            "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
        ),
        kind="project",
    )
)
