from django.http import JsonResponse
from django.views.decorators.http import require_POST

from blog.setup import create_owner


@require_POST
def install(request):
    owner = create_owner(request.POST["username"], request.POST["password"])
    return JsonResponse({"owner": owner.pk})
