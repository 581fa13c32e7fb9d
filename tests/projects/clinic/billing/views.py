"""Billing: statements are the patient's; refunds are for the billing office."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, render

from billing.models import Statement


@login_required
def statements(request):
    return render(
        request, "billing/list.html", {"statements": Statement.objects.filter(patient=request.user)}
    )


@login_required
def statement(request, pk):
    return render(
        request,
        "billing/detail.html",
        {"statement": get_object_or_404(Statement, pk=pk, patient=request.user)},
    )


@login_required
def pay(request, pk):
    statement = get_object_or_404(Statement, pk=pk, patient=request.user)
    statement.paid = True
    statement.save()
    return JsonResponse({"paid": True})


@permission_required("billing.change_statement")
def refund(request, pk):  # ok: object-access-without-owner-check
    if request.COOKIES.get("billing_role") != "office":  # expect: authorization-from-client-data
        return HttpResponseForbidden()
    statement = get_object_or_404(Statement, pk=pk)
    statement.refunded = True
    statement.save()
    return JsonResponse({"refunded": True})
