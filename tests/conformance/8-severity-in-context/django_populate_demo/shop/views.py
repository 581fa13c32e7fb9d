from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from shop.accounts import create_support_account
from shop.models import Shop


@login_required
@require_POST
def open_shop(request):
    shop = Shop.objects.create(name=request.POST["name"])
    token = create_support_account(shop)
    return JsonResponse({"shop": shop.pk, "support_token": token})  # expect: insecure-random-for-security
