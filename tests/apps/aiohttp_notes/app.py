"""A notes service on aiohttp: routes and handlers."""

from aiohttp import web

import forms
import storage
import tools
import views

routes = web.RouteTableDef()
ALLOWED_EXPORTS = {"txt", "md", "html"}


@routes.get("/notes")
async def search(request):
    term = request.query.get("q", "")
    rows = storage.search_notes(request.app["db"], term)
    return web.json_response([dict(row) for row in rows])


@routes.get("/notes/{note_id}")
async def show(request):
    rows = storage.note_by_id(request.app["db"], request.match_info["note_id"])
    return web.json_response([dict(row) for row in rows])


@routes.get("/attachments/{name:.+}")
async def attachment(request):
    return web.Response(body=tools.read_attachment(request.match_info["name"]))


@routes.get("/exports/{name}")
async def export(request):
    return web.Response(body=tools.read_export(request.match_info["name"]))


@routes.post("/import")
async def import_archive(request):
    data = await request.read()
    count = tools.unpack_notes(data)
    return web.json_response({"imported": count})


@routes.post("/notes")
async def create(request):
    note = await forms.note_from(request)
    storage.save_note(request.app["db"], note)
    raise web.HTTPFound(note["next"])


@routes.get("/render")
async def render(request):
    fmt = request.query.get("format", "txt")
    if fmt not in ALLOWED_EXPORTS:
        raise web.HTTPBadRequest()
    tools.convert_export(fmt)
    return web.Response(text="ok")


@routes.get("/notes/find")
async def find_page(request):
    term = request.query.get("q", "")
    titles = storage.recent_titles(request.app["db"])
    return web.Response(text=views.results_page(term, titles), content_type="text/html")


@routes.get("/notes/form")
async def form_page(request):
    term = request.query.get("q", "")
    return web.Response(text=views.search_form(term), content_type="text/html")


@routes.get("/notes/echo")
async def echo(request):
    term = request.query.get("q", "")
    return web.Response(text="No notes match " + term, content_type="text/plain")


@routes.get("/saved")
async def saved(request):
    page = views.back_link(request.query.get("back", "/notes"))
    return web.Response(text=page, content_type="text/html")


@routes.get("/done")
async def done(request):
    raise web.HTTPFound("/notes")


def make_app(db):
    app = web.Application()
    app["db"] = db
    app.add_routes(routes)
    return app
