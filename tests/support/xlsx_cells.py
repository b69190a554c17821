#!/usr/bin/env python3
"""Reads an XLSX workbook with Python's standard library alone, as an independent
reader for the tests: prints JSON {sheet name: {cell ref: [type, value]}}, where type
is "n" (number), "s" (text) or "b" (boolean) and shared strings are resolved."""
import json
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def text_of(node):
    return "".join(t.text or "" for t in node.iter("{%s}t" % NS["m"]))


def main(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = [text_of(si) for si in root.findall("m:si", NS)]
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    book = ET.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for sheet in book.find("m:sheets", NS):
        target = targets[sheet.get(REL)]
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "", 1)))
        cells = {}
        for c in root.iter("{%s}c" % NS["m"]):
            t = c.get("t", "n")
            v = c.find("m:v", NS)
            if t == "s":
                cells[c.get("r")] = ["s", shared[int(v.text)]]
            elif t == "inlineStr":
                cells[c.get("r")] = ["s", text_of(c)]
            elif t == "str":
                cells[c.get("r")] = ["s", v.text or ""]
            elif v is not None:
                cells[c.get("r")] = [t if t == "b" else "n", float(v.text)]
        out[sheet.get("name")] = cells
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
