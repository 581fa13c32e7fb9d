"""Values the server signed: what a signer gives back after checking its signature.

`signing.Signer(salt=...).unsign(request.GET["url"])` raises unless the server signed the
value itself (a link it made, a state it handed out): the client can replay it, not choose
it. Django's `signing`, itsdangerous's signers and serializers (a serializer's `loads` is
told from `json.loads` by its receiver, `conditions._signer`)."""

from secreview.python.taint.spec import Sanitizer

SANITIZERS = (
    Sanitizer(".unsign"),
    Sanitizer(".unsign_object"),
    Sanitizer("django.core.signing.loads"),
    Sanitizer(".loads", receiver="signer"),
)
