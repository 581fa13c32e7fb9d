"""The photo database."""

ORDERS = {"taken": "taken_at", "name": "name"}


def photos(db, album, order):
    column = ORDERS.get(order, "taken_at")
    cursor = db.execute(
        f"SELECT name FROM photos WHERE album = ? ORDER BY {column}", (album,)
    )
    return [row[0] for row in cursor]


def search(db, text):
    cursor = db.execute("SELECT name FROM photos WHERE caption LIKE '%%%s%%'" % text)
    return [row[0] for row in cursor]
