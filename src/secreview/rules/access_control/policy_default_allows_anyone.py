"""policy-default-allows-anyone: an oslo.policy default that admits every caller to a write.

Check strings often name constants of another module (`base.RULE_ANY`), so the decision is
made on every module's facts (`secreview.python.access`): this module holds the
documentation.
"""

from __future__ import annotations

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="policy-default-allows-anyone",
        cwe=862,
        severity="high",
        confidence="medium",
        title="Policy default lets any caller perform an operation that changes state",
        why=(
            'An oslo.policy check string `""` or `"@"` is always true: every user of any '
            "project with a token may perform the operation unless each deployment overrides "
            "the default, and most run with the defaults."
        ),
        example=(
            "policy.DocumentedRuleDefault(\n    name='volume:delete',\n    check_str='@',\n"
            "    operations=[{'method': 'DELETE', 'path': '/volumes/{id}'}])"
        ),
        fix=(
            "Default to the narrowest rule that fits the operation: the owning project's "
            "member (`role:member and project_id:%(project_id)s`) or an administrator rule; "
            'keep `""`/`"@"` for read-only operations whose API scopes what it returns.'
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/862.html",
            "https://docs.openstack.org/oslo.policy/latest/admin/policy-yaml-file.html",
        ),
        kind="project",
    )
)
