"""A class-based view whose `UserPassesTestMixin.test_func` returns
`self.request.user.is_superuser` is admin-only: its flow drops one severity step; with
`LoginRequiredMixin` alone it keeps the full severity."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpResponseRedirect
from django.views import View


class SuperuserRequiredMixin(UserPassesTestMixin):
    def test_func(self):
        return self.request.user.is_superuser


class ImpersonateView(SuperuserRequiredMixin, View):
    def post(self, request):
        return HttpResponseRedirect(request.POST["next"])  # expect: open-redirect  # severity: low


class SwitchLanguageView(LoginRequiredMixin, View):
    def post(self, request):
        return HttpResponseRedirect(request.POST["next"])  # expect: open-redirect  # severity: medium

    def get(self, request):
        return HttpResponseRedirect("/")  # ok: open-redirect
