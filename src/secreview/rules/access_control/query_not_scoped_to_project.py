"""query-not-scoped-to-project: an OpenStack API handler that looks an object up by the
client's id with an elevated context, or none, where its siblings scope to the project.

The decision needs the whole project (`secreview.python.access.openstack` reads each
controller, `project.py` resolves the policies and compares siblings): this module holds the
rule's documentation.
"""

from __future__ import annotations

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="query-not-scoped-to-project",
        cwe=639,
        severity="high",
        confidence="medium",
        title="API handler looks up an object by the client's id without the caller's project",
        why=(
            "In an OpenStack-style API the DB and objects layers scope a query to the request "
            "context's project (`model_query(context, ..., project_only=True)`); a handler "
            "that looks the object up with `context.elevated()`, an admin context or a raw "
            "session query skips that scoping, so any project's member reaches another "
            "project's object by naming its id (an insecure direct object reference), while "
            "the resource's other handlers, or a policy that is not admin-only, show the "
            "caller is meant to reach only their own."
        ),
        example=(
            "def delete(self, req, id):\n    context = req.environ['nova.context']\n"
            "    context.can(POLICY % 'delete')\n"
            "    snapshot = objects.Snapshot.get_by_id(context.elevated(), id)\n"
            "    snapshot.destroy()"
        ),
        fix=(
            "Look the object up with the caller's own context (`objects.Snapshot.get_by_id("
            "context, id)`), or filter by `project_id=context.project_id`, as the sibling "
            "handlers do; when an elevated context is needed, authorize on the object first: "
            "`context.can(POLICY % 'delete', target={'project_id': snapshot.project_id})`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/639.html",
            "https://docs.openstack.org/oslo.policy/latest/user/usage.html",
            "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
        ),
        kind="project",
    )
)
