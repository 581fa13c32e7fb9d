"""Reads an order from the request it is given."""


async def order_from(request):
    data = await request.json()
    return {
        "sku": data["sku"],
        "quantity": int(data.get("quantity", 1)),
        "return_to": data.get("return_to", "/thanks"),
    }
