"""Accounts: signing in and up are open to anyone by nature."""

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.shortcuts import redirect, render


def login_view(request):  # ok: missing-authorization  # expect: login-without-attempt-limit
    user = authenticate(
        request, username=request.POST.get("username"), password=request.POST.get("password")
    )
    if user is None:
        return render(request, "accounts/login.html", {"failed": True})
    login(request, user)
    return redirect("/appointments/")


def signup(request):  # ok: missing-authorization
    User.objects.create_user(request.POST["username"], password=request.POST["password"])
    return redirect("/accounts/login/")


@login_required
def profile(request):
    request.user.first_name = request.POST.get("first_name", request.user.first_name)
    request.user.save()
    return render(request, "accounts/profile.html")


# The language choice is kept in the session of anonymous visitors too.
# secreview: public
def preferences(request):  # ok: missing-authorization
    request.session["language"] = request.POST.get("language", "en")
    request.session.save()
    return redirect("/")


# The reception kiosk signs its visitor out by forgetting the cookie only.
def kiosk_logout(request):  # expect: logout-leaves-session-valid
    response = redirect("/accounts/login/")
    response.delete_cookie("sessionid")
    return response
