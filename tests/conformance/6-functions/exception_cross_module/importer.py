"""CSV import of price lists: each layer calls the next, the innermost raises on bad input."""

import csv
import datetime
import io


class RowError(Exception):
    """A row that cannot be imported; the message names the offending value."""


class EmptyUpload(Exception):
    """The upload has no data rows."""


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RowError(f"bad date {value}") from None


def parse_row(row):
    return {"sku": row["sku"], "price": row["price"], "valid_from": parse_date(row["valid_from"])}


def parse_upload(text):
    rows = [parse_row(row) for row in csv.DictReader(io.StringIO(text))]
    if not rows:
        raise EmptyUpload("the file has a header but no rows")
    return rows
