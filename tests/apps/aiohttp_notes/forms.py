"""Reads a note from the request it is given."""


async def note_from(req):
    form = await req.post()
    return {
        "title": form.get("title", ""),
        "body": form.get("body", ""),
        "next": form.get("next", "/notes"),
    }
