"""Text that goes into a spreadsheet (CSV downloads, Excel workbooks) written by any app.

A spreadsheet runs a cell that starts with one of `FORMULA_STARTS` as a formula: an agency's name or text that
starts so must stay text (CSV: a leading apostrophe; Excel: a string cell with the quote prefix).
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """The text as a CSV cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_document(header: list[str], rows) -> str:
    """UTF-8 text with a byte-order mark (so that Excel opens Vietnamese correctly) and Windows line ends; the
    cells are written as given (pass text through `inert`)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
