"""Request hooks: the settings blueprint admits administrators only."""

from auth import admin_required
from reports import reports_bp
from settings import settings_bp


@settings_bp.before_request
@admin_required
def before_admin_request():
    pass


@reports_bp.before_request
def before_report_request():
    pass
