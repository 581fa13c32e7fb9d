"""A small shop on Starlette: endpoints and routes."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
)
from starlette.routing import Route

import catalog
import checkout
import invoices
import receipts

INVOICES = "/srv/shop/invoices"


async def products(request):
    category = request.query_params.get("category", "all")
    return JSONResponse(catalog.by_category(category))


async def product(request: Request):
    return JSONResponse(catalog.by_sku(request.path_params["sku"]))


async def invoice(request):
    number = request.path_params["number"]
    return FileResponse(f"{INVOICES}/{number}.pdf")


async def invoice_safe(request):
    return FileResponse(invoices.path_for(request.path_params["number"]))


async def buy(request):
    order = await checkout.order_from(request)
    catalog.reserve(order["sku"], order["quantity"])
    return RedirectResponse(order["return_to"], status_code=303)


async def thanks(request):
    return RedirectResponse("/orders", status_code=303)


async def label(request):
    form = await request.form()
    invoices.print_label(form["carrier"])
    return JSONResponse({"printed": True})


async def receipt(request):
    order_id = int(request.path_params["order_id"])
    lines = catalog.order_lines(order_id)
    page = receipts.receipt(order_id, lines, request.query_params.get("note", ""))
    return HTMLResponse(page)


async def card(request):
    sku = request.path_params["sku"]
    page = receipts.product_card(sku, request.query_params.get("name", sku))
    return HTMLResponse(page)


async def tracking(request):
    code = request.query_params.get("code", "")
    return PlainTextResponse(f"Tracking number {code} is not known yet.")


app = Starlette(
    routes=[
        Route("/products", products),
        Route("/products/{sku}", product),
        Route("/invoices/{number:path}", invoice),
        Route("/invoices/{number}/safe", invoice_safe),
        Route("/buy", buy, methods=["POST"]),
        Route("/thanks", thanks),
        Route("/label", label, methods=["POST"]),
        Route("/orders/{order_id:int}/receipt", receipt),
        Route("/products/{sku}/card", card),
        Route("/tracking", tracking),
    ]
)
