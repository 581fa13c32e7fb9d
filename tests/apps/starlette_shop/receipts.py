"""Receipts and product cards as HTML."""

from markupsafe import escape


def receipt(order_id, lines, note):
    page = f"<h1>Order {order_id}</h1><table>"
    for sku, quantity in lines:
        page += f"<tr><td>{escape(sku)}</td><td>{int(quantity)}</td></tr>"
    page += "</table>"
    page += f"<p class='gift-note'>{note}</p>"
    return page


def product_card(sku, name):
    card = f'<div class="card" data-sku="{escape(sku)}">'
    card += f"<h2>{escape(name)}</h2></div>"
    return card
