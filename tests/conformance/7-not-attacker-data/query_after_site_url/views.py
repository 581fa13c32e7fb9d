"""The client's text placed after a literal `?` of a URL a function of the tree builds is
in the query: it cannot choose the host. Placed before the `?`, it can."""

from urllib.parse import urlencode

from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from urls import site_url


def back_to_list(request):
    query = urlencode({"q": request.GET.get("q", "")})
    return HttpResponseRedirect(site_url("list") + "?" + query)  # ok: open-redirect


def back_to_page(request):
    return redirect(f"{site_url('page')}?page={request.GET.get('page', '1')}")  # ok: open-redirect


def back_to_anywhere(request):
    return redirect(request.GET["base"] + "?" + urlencode({"from": site_url("list")}))  # expect: open-redirect


def back_to_signed(request):
    # a link the server signed when it made it: the client can replay it, not choose it
    target = signing.Signer(salt="out").unsign(request.GET.get("to", ""))
    return redirect(target)  # ok: open-redirect
