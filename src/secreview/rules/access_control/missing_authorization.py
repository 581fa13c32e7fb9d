"""missing-authorization: a view that changes state unprotected, among protected siblings.

The decision needs the whole project (`secreview.python.access`): this module holds the
rule's documentation.
"""

from __future__ import annotations

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="missing-authorization",
        cwe=862,
        severity="high",
        confidence="medium",
        title="View changes data without the login or permission check its siblings have",
        why=(
            "The other views of this blueprint or app require a login or a permission, so the "
            "project means them for signed-in or authorised users; this one changes stored "
            "data with no check at all, and anyone who finds its URL can call it."
        ),
        example=(
            "@posts.route('/post/<int:id>/delete', methods=['POST'])\n@login_required\n"
            "def delete_post(id): ...\n\n"
            "@posts.route('/comment/<int:id>/delete', methods=['POST'])\n"
            "def delete_comment(id):\n    db.session.delete(Comment.query.get_or_404(id))"
        ),
        fix=(
            "Protect the view as its siblings are (the same decorator, mixin or permission "
            "classes), or, if anyone may call it on purpose, mark it public: a decorator named "
            "`public` (or `allow_anonymous`, `login_not_required`), or a `# secreview: public` "
            "comment on the line above the view."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Add `@login_required`/`@permission_required(...)` (a function view), "
                    "`LoginRequiredMixin`/`PermissionRequiredMixin` (a class-based view) or "
                    "`permission_classes` (DRF), as the app's other views have; a view meant for "
                    "anyone is marked with `@login_not_required` or `# secreview: public`."
                ),
            ),
            FixText(
                ("flask", "quart", "flask_login"),
                (
                    "Add `@login_required` (or the blueprint's own check) under the route "
                    "decorator, or check every request of the blueprint once in a "
                    "`@bp.before_request` hook; a view meant for anyone is marked with a "
                    "`public` decorator or `# secreview: public`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/862.html",
            "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
        ),
        kind="project",
    )
)
