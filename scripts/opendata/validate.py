#!/usr/bin/env python3
"""Checks the open data a running IA Factory serves with the tools its re-users will apply to it.

Our own Rust tests check what the code means to write; this script checks what an outsider downloads, with the
reference implementations of the standards rather than with our own reading of them:

- `/catalogue/bibliotheque-ia-territoriale.csv` is validated by Frictionless against the Table Schema of the
  Bibliothèque d'IA territoriales (the copy in `scripts/opendata/schemas/`, else the one in
  `../shared/standards/bibliotheque-ia-territoriale/` beside the repository; `--schema` to choose another):
  header, types, required fields, closed lists; plus the encoding (UTF-8 without BOM) and the CRLF line ends
  that the spec promises;
- `/catalogue/dcat.jsonld` is read by rdflib as RDF and queried: one dcat:Catalog, its dcat:Dataset, and for
  each dcat:Distribution an absolute download address on this server that answers 200, a format from the EU
  file-type authority, a licence and a typed modification date; the four distributions of the spec are there.

Usage: validate.py BASE_URL [--expect-min N] [--schema PATH]
Prints one line per check with its figures; exits 1, with a French message, when any check fails.
Run by scripts/opendata/check.sh (part of scripts/test.sh) against the release server.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

FILE_TYPE_AUTHORITY = "http://publications.europa.eu/resource/authority/file-type/"
EXPECTED_DISTRIBUTIONS = (
    "catalogue.csv",
    "catalogue.json",
    "catalogue/bibliotheque-ia-territoriale.csv",
    "catalogue.atom",
)
BIBLIOTHEQUE_CSV = "catalogue/bibliotheque-ia-territoriale.csv"
DCAT_JSONLD = "catalogue/dcat.jsonld"
# The copy kept in the repository (scripts/opendata/schemas/SOURCE.md), else the one of shared/ beside it.
SCHEMA_NAME = "interconnectes_IA-schema.json"
DEFAULT_SCHEMA = next(
    (
        path
        for path in (
            Path(__file__).resolve().parent / "schemas" / SCHEMA_NAME,
            Path(__file__).resolve().parents[3] / "shared/standards/bibliotheque-ia-territoriale" / SCHEMA_NAME,
        )
        if path.is_file()
    ),
    Path(__file__).resolve().parent / "schemas" / SCHEMA_NAME,
)
RELATIVE_BASE = "http://adresse-relative.invalid/"
MAX_ERRORS_SHOWN = 20
TIMEOUT_S = 120


class Checks:
    """One printed line per check; remembers the failures."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def record(self, ok: bool, label: str, figures: str = "") -> bool:
        line = f"  {'ok   ' if ok else 'ÉCHEC'}  {label}"
        if figures:
            line += f" : {figures}"
        print(line, flush=True)
        if not ok:
            self.failures.append(label)
        return ok

    def note(self, text: str) -> None:
        print(f"         {text}", flush=True)


def octets(count: int) -> str:
    return f"{count:,} octets".replace(",", " ")


def fetch(url: str) -> tuple[int, str, bytes, float]:
    """GET url: (status, content type, body, seconds). HTTP errors are returned, not raised."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": "ia-factory-opendata-check"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read()
            return response.status, response.headers.get("Content-Type", ""), body, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(), time.monotonic() - started


def download(checks: Checks, url: str) -> tuple[str, bytes] | None:
    try:
        status, content_type, body, seconds = fetch(url)
    except (urllib.error.URLError, OSError) as error:
        checks.record(False, f"téléchargement de {url}", f"injoignable ({getattr(error, 'reason', error)})")
        return None
    ok = checks.record(
        status == 200,
        f"téléchargement de {url}",
        f"HTTP {status}, {octets(len(body))}, {content_type or 'sans Content-Type'}, {seconds:.2f} s",
    )
    return (content_type, body) if ok else None


def check_csv(checks: Checks, body: bytes, schema_path: Path, expect_min: int) -> None:
    from frictionless import Resource, Schema, formats

    checks.record(not body.startswith(b"\xef\xbb\xbf"), "CSV : UTF-8 sans BOM")
    try:
        body.decode("utf-8")
        checks.record(True, "CSV : encodage UTF-8 valide")
    except UnicodeDecodeError as error:
        checks.record(False, "CSV : encodage UTF-8 valide", f"octet {error.start} invalide")
    header_end = body.find(b"\n")
    checks.record(
        header_end > 0 and body[header_end - 1 : header_end] == b"\r",
        "CSV : fins de ligne CRLF (ligne d'en-tête)",
    )

    schema = Schema.from_descriptor(json.loads(schema_path.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory(prefix="iaf-opendata-") as folder:
        # Frictionless refuses absolute paths ("not safe"): a relative path under a base path.
        name = "bibliotheque-ia-territoriale.csv"
        (Path(folder) / name).write_bytes(body)
        started = time.monotonic()
        resource = Resource(
            path=name,
            basepath=folder,
            schema=schema,
            format="csv",
            encoding="utf-8",
            control=formats.CsvControl(delimiter=","),
        )
        report = resource.validate()
        seconds = time.monotonic() - started
    task = report.tasks[0] if report.tasks else None
    rows = (task.stats.get("rows") if task else None) or 0
    errors = report.flatten(["type", "rowNumber", "fieldName", "message"])
    checks.record(
        report.valid,
        f"CSV : validation Frictionless contre {schema_path.name}",
        f"{len(schema.fields)} champs au schéma, {rows} lignes, {len(errors)} erreur(s), {seconds:.2f} s",
    )
    for error_type, row, field, message in errors[:MAX_ERRORS_SHOWN]:
        where = ", ".join(part for part in (f"ligne {row}" if row else "", f"champ {field}" if field else "") if part)
        checks.note(f"- [{error_type}] {where + ' : ' if where else ''}{message}")
    if len(errors) > MAX_ERRORS_SHOWN:
        checks.note(f"… et {len(errors) - MAX_ERRORS_SHOWN} autre(s) erreur(s)")
    checks.record(rows >= expect_min, "CSV : nombre de lignes", f"{rows} (au moins {expect_min} attendues)")


def check_dcat(checks: Checks, base: str, content_type: str, body: bytes) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

    checks.record(
        content_type.split(";")[0].strip() == "application/ld+json",
        "DCAT : type de contenu application/ld+json",
        content_type or "absent",
    )
    # rdflib logs a traceback for each ill-typed literal; the dcterms:modified check reports them itself.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    graph = Graph()
    started = time.monotonic()
    try:
        # Relative IRIs resolve against a base of no server's, so that an address written relative fails the
        # "absolute address on this server" check below.
        graph.parse(data=body.decode("utf-8"), format="json-ld", publicID=RELATIVE_BASE)
    except Exception as error:  # noqa: BLE001 — any parser failure is the check's failure
        hint = ""
        if isinstance(error, OSError) or "context" in str(error).lower():
            hint = " (un @context distant n'est pas lu hors ligne : il doit être écrit dans le document)"
        checks.record(False, "DCAT : lecture JSON-LD par rdflib", f"{type(error).__name__} : {error}{hint}")
        return
    checks.record(len(graph) > 0, "DCAT : lecture JSON-LD par rdflib", f"{len(graph)} triplets, {time.monotonic() - started:.2f} s")

    catalogs = sorted(set(graph.subjects(RDF.type, DCAT.Catalog)))
    checks.record(len(catalogs) == 1, "DCAT : un seul dcat:Catalog", f"{len(catalogs)} trouvé(s) {' '.join(map(str, catalogs))}")
    datasets = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)))
    checks.record(len(datasets) >= 1, "DCAT : au moins un dcat:Dataset", f"{len(datasets)} trouvé(s) {' '.join(map(str, datasets))}")
    listed = {d for c in catalogs for d in graph.objects(c, DCAT.dataset)}
    unlisted = [d for d in datasets if d not in listed]
    checks.record(
        bool(datasets) and not unlisted,
        "DCAT : chaque jeu de données est listé par le catalogue (dcat:dataset)",
        f"{len(datasets) - len(unlisted)}/{len(datasets)}",
    )
    untitled = [
        d for d in datasets if graph.value(d, DCTERMS.title) is None or graph.value(d, DCTERMS.description) is None
    ]
    checks.record(
        bool(datasets) and not untitled,
        "DCAT : chaque jeu de données a dcterms:title et dcterms:description",
        f"{len(datasets) - len(untitled)}/{len(datasets)}",
    )

    distributions = sorted(set(graph.subjects(RDF.type, DCAT.Distribution)))
    attached = {x for d in datasets for x in graph.objects(d, DCAT.distribution)}
    checks.record(
        bool(distributions) and all(x in attached for x in distributions),
        "DCAT : distributions rattachées à un jeu de données (dcat:distribution)",
        f"{len([x for x in distributions if x in attached])}/{len(distributions)}",
    )
    found_urls: set[str] = set()
    for distribution in distributions:
        urls = list(graph.objects(distribution, DCAT.downloadURL)) or list(graph.objects(distribution, DCAT.accessURL))
        label = f"distribution {next(iter(urls), distribution)}"
        if not urls:
            checks.record(False, f"DCAT : {label}", "ni dcat:downloadURL ni dcat:accessURL")
        for url in urls:
            text = str(url)
            if not isinstance(url, URIRef) or not text.startswith(f"{base}/"):
                if not isinstance(url, URIRef):
                    why = "littéral, IRI attendue"
                elif text.startswith(RELATIVE_BASE):
                    why = "adresse relative"
                else:
                    why = "IRI d'un autre serveur"
                checks.record(False, f"DCAT : {label} — adresse absolue sur {base}/", f"{text!r} ({why})")
                continue
            found_urls.add(text)
            try:
                status, _, payload, seconds = fetch(text)
                figures = f"HTTP {status}, {octets(len(payload))}, {seconds:.2f} s"
            except (urllib.error.URLError, OSError) as error:
                status, figures = 0, f"injoignable ({getattr(error, 'reason', error)})"
            checks.record(status == 200, f"DCAT : {label} — téléchargement", figures)
        formats = [str(f) for f in graph.objects(distribution, DCTERMS.format)]
        checks.record(
            bool(formats)
            and all(isinstance(f, URIRef) for f in graph.objects(distribution, DCTERMS.format))
            and all(f.startswith(FILE_TYPE_AUTHORITY) and len(f) > len(FILE_TYPE_AUTHORITY) for f in formats),
            f"DCAT : {label} — dcterms:format de l'autorité EU file-type",
            ", ".join(formats) or "absent",
        )
        licences = [str(x) for x in graph.objects(distribution, DCTERMS.license)]
        checks.record(bool(licences), f"DCAT : {label} — dcterms:license", ", ".join(licences) or "absente")
        modified = list(graph.objects(distribution, DCTERMS.modified))
        typed = [
            m
            for m in modified
            if isinstance(m, Literal) and m.datatype in (XSD.dateTime, XSD.date) and not m.ill_typed
        ]
        checks.record(
            bool(modified) and len(typed) == len(modified),
            f"DCAT : {label} — dcterms:modified en xsd:dateTime ou xsd:date",
            ", ".join(f"{m} ({m.datatype.n3(graph.namespace_manager) if isinstance(m, Literal) and m.datatype else 'sans type'})" for m in modified)
            or "absente",
        )
    expected = [f"{base}/{path}" for path in EXPECTED_DISTRIBUTIONS]
    missing = [url for url in expected if url not in found_urls]
    checks.record(
        not missing,
        "DCAT : les quatre distributions attendues",
        f"{len(expected) - len(missing)}/{len(expected)}" + (f", manquantes : {', '.join(missing)}" if missing else ""),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="adresse du serveur, par exemple http://127.0.0.1:3000")
    parser.add_argument("--expect-min", type=int, default=0, help="nombre minimal de lignes du CSV")
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA, help="Table Schema de la Bibliothèque")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    if not args.schema.is_file():
        print(f"Schéma introuvable : {args.schema}.", file=sys.stderr)
        return 1

    started = time.monotonic()
    checks = Checks()
    print(f"Données ouvertes de {base}")
    csv_download = download(checks, f"{base}/{BIBLIOTHEQUE_CSV}")
    if csv_download:
        check_csv(checks, csv_download[1], args.schema, args.expect_min)
    dcat_download = download(checks, f"{base}/{DCAT_JSONLD}")
    if dcat_download:
        check_dcat(checks, base, *dcat_download)

    seconds = time.monotonic() - started
    if checks.failures:
        print(
            f"Données ouvertes non conformes sur {base} : {len(checks.failures)} vérification(s) en échec "
            f"({seconds:.1f} s) :",
            file=sys.stderr,
        )
        for label in checks.failures:
            print(f"  - {label}", file=sys.stderr)
        return 1
    print(f"Données ouvertes conformes (Frictionless et DCAT-AP) sur {base} en {seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
