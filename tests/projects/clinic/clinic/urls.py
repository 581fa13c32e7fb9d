from accounts import views as accounts
from api import views as api
from appointments import views as appointments
from billing import views as billing
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from records import views as records
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register("appointments", api.AppointmentViewSet)
router.register("clinicians", api.ClinicianViewSet)

urlpatterns = [
    path("appointments/", appointments.upcoming),
    path("appointments/book/", appointments.book),
    path("appointments/<int:pk>/", appointments.AppointmentDetail.as_view()),
    path("appointments/<int:pk>/reschedule/", appointments.reschedule),
    path("appointments/<int:pk>/cancel/", appointments.cancel),
    path("appointments/<int:pk>/note/", appointments.add_note),
    path("records/", records.RecordList.as_view()),
    path("records/<int:pk>/", records.record_detail),
    path("records/<int:pk>/download/", records.download),
    path("records/<int:pk>/share/", records.share),
    path("records/<int:pk>/amend/", login_required(records.amend)),
    path("billing/", billing.statements),
    path("billing/<int:pk>/", billing.statement),
    path("billing/<int:pk>/pay/", billing.pay),
    path("billing/<int:pk>/refund/", billing.refund),
    path("accounts/login/", accounts.login_view),
    path("accounts/signup/", accounts.signup),
    path("accounts/profile/", accounts.profile),
    path("accounts/preferences/", accounts.preferences),
    path("accounts/kiosk/logout/", accounts.kiosk_logout),
    path("api/", include(router.urls)),
    path("api/triage/", api.triage),
]
