#!/usr/bin/env python3
"""Reads back a spreadsheet written by IA Factory with readers independent of the server's writers (openpyxl
for XLSX, odfpy for ODS) and prints, as JSON: the sheet's name, whether its header row is frozen, whether the
header is bold, and every row as [type, value] pairs, type one of "texte", "nombre", "date", "vide" (dates as
ISO text). Used by the server's HTTP tests (server/tests/http/deployments_data.rs) to check typed cells.

Usage: read_sheet.py FILE.xlsx|FILE.ods
"""
import datetime
import json
import sys


def xlsx(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if value is None:
                cells.append(["vide", None])
            elif isinstance(value, (datetime.datetime, datetime.date)):
                cells.append(["date", value.isoformat()])
            elif isinstance(value, (int, float)):
                cells.append(["nombre", value])
            else:
                cells.append(["texte", str(value)])
        rows.append(cells)
    bold = all(cell.font.b for cell in sheet[1] if cell.value is not None)
    return {"feuille": sheet.title, "entete_figee": sheet.freeze_panes == "A2", "entete_gras": bold, "lignes": rows}


def ods(path):
    from odf.config import ConfigItem, ConfigItemMapEntry
    from odf.namespaces import OFFICENS, STYLENS, TABLENS, FONS
    from odf.opendocument import load
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableRow
    from odf import teletype

    doc = load(path)
    table = doc.spreadsheet.getElementsByType(Table)[0]
    name = table.getAttrNS(TABLENS, "name")
    bold_styles = set()
    for style in doc.automaticstyles.getElementsByType(Style) + doc.styles.getElementsByType(Style):
        for props in style.getElementsByType(TextProperties):
            if props.getAttrNS(FONS, "font-weight") == "bold":
                bold_styles.add(style.getAttrNS(STYLENS, "name"))
    rows, header_bold = [], True
    for index, row in enumerate(table.getElementsByType(TableRow)):
        cells = []
        for cell in row.getElementsByType(TableCell):
            repeat = int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1)
            kind = cell.getAttrNS(OFFICENS, "value-type")
            if kind == "float":
                number = float(cell.getAttrNS(OFFICENS, "value"))
                pair = ["nombre", int(number) if number.is_integer() else number]
            elif kind == "date":
                pair = ["date", cell.getAttrNS(OFFICENS, "date-value")]
            elif kind == "string":
                pair = ["texte", teletype.extractText(cell)]
            else:
                pair = ["vide", None]
            if index == 0 and kind == "string":
                header_bold = header_bold and cell.getAttrNS(TABLENS, "style-name") in bold_styles
            cells.extend([pair] * min(repeat, 1000))
        while cells and cells[-1][0] == "vide":
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    # The frozen header: the sheet's view settings split at the second row (VerticalSplitMode 2 = fixed).
    settings = {}
    for entry in doc.settings.getElementsByType(ConfigItemMapEntry):
        if entry.getAttrNS("urn:oasis:names:tc:opendocument:xmlns:config:1.0", "name") != name:
            continue
        for item in entry.getElementsByType(ConfigItem):
            settings[item.getAttrNS("urn:oasis:names:tc:opendocument:xmlns:config:1.0", "name")] = teletype.extractText(item)
    frozen = settings.get("VerticalSplitMode") == "2" and settings.get("VerticalSplitPosition") == "1"
    return {"feuille": name, "entete_figee": frozen, "entete_gras": header_bold, "lignes": rows}


def main():
    path = sys.argv[1]
    result = xlsx(path) if path.endswith(".xlsx") else ods(path)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
