#!/usr/bin/env python3
"""Génère app/src/domain/regions_map.txt : contour SVG simplifié des 18 régions
françaises (13 métropolitaines + 5 d'outre-mer en encarts).

Source (domaine public) : Natural Earth, « Admin 1 – States, Provinces », 1:10m
(ne_10m_admin_1_states_provinces). Natural Earth y découpe la France en
départements ; ils sont fusionnés ici en régions selon le code région INSEE que
donne server/data/collectivites.tsv (lignes kind == "departement").

Le fichier source peut être :
  * le GeoJSON officiel ne_10m_admin_1_states_provinces.geojson (monde entier
    ou extrait France), ou
  * un TopoJSON qui contient ces mêmes entités (arcs quantifiés ou non).
Seules les entités iso_a2 == "FR" (ou admin == "France") sont gardées.

Traitement :
  1. départements -> régions (union shapely) ;
  2. projection équirectangulaire : x = lon * cos(lat0), y = -lat, avec
     lat0 = 46,5° pour la métropole (cadre 5..595 x 5..495 du viewBox
     0 0 600 600) et la latitude moyenne de chaque territoire pour les cinq
     encarts d'outre-mer (rangée du bas, y 505..595, ordre des codes INSEE) ;
     chaque groupe est mis à l'échelle pour tenir dans son cadre ;
  3. simplification topologique : les frontières de toutes les régions d'un
     même cadre sont nouées en un seul réseau de lignes, chaque tronçon entre
     deux nœuds est simplifié (Douglas-Peucker, tolérance --tolerance en unités
     du viewBox, extrémités fixes), puis les faces sont reconstruites
     (polygonize) et rendues à la région qui les recouvre : deux régions
     voisines gardent donc exactement la même frontière (ni trou ni
     chevauchement) ;
  4. les îlots de moins de --min-area unités² sont supprimés, les coordonnées
     arrondies à 0,1.

Sortie : une ligne « # viewBox 0 0 600 600 » puis, par région et dans l'ordre
des codes INSEE, « <code INSEE>\\t<nom exact de collectivites.tsv>\\t<d SVG> ».

Usage (depuis la racine du dépôt ; nécessite Python 3.9+ et shapely >= 2) :
  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install shapely
  /tmp/venv/bin/python scripts/gen-regions-map.py CHEMIN/ne_10m_admin_1_states_provinces.geojson
Options : --collectivites server/data/collectivites.tsv
          --out app/src/domain/regions_map.txt
          --check-svg /tmp/regions-check.svg  (SVG de contrôle avec les cadres)
          --tolerance 0.8  --min-area 1.5
"""

import argparse
import json
import math
import sys

from shapely import line_merge, polygonize, transform, unary_union
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

VIEWBOX = (0, 0, 600, 600)
METRO_FRAME = (5.0, 5.0, 595.0, 495.0)  # x0, y0, x1, y1
# Encarts d'outre-mer : rangée du bas, dans l'ordre des codes INSEE.
OVERSEAS = ["01", "02", "03", "04", "06"]
INSET_FRAMES = {
    code: (5.0 + i * 118.0, 505.0, 5.0 + i * 118.0 + 110.0, 595.0)
    for i, code in enumerate(OVERSEAS)
}
INSET_PADDING = 5.0

# Codes ISO 3166-2 des DROM (Natural Earth) -> code département INSEE.
ISO_DROM = {"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976"}
# Codes ISO 3166-2 des régions -> code région INSEE, au cas où une version de
# Natural Earth livrerait directement les régions.
ISO_REGION = {
    "ARA": "84", "BFC": "27", "BRE": "53", "CVL": "24", "20R": "94",
    "COR": "94", "GES": "44", "HDF": "32", "IDF": "11", "NOR": "28",
    "NAQ": "75", "OCC": "76", "PDL": "52", "PAC": "93",
}


def prop(props, key):
    """Propriété insensible à la casse (les versions NE varient)."""
    for k, v in props.items():
        if k.lower() == key:
            return v
    return None


# --- lecture de la source ---------------------------------------------------

def topo_features(topo):
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            pts = []
            for p in arc:
                x += p[0]
                y += p[1]
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(p[0], p[1]) for p in arc]
        arcs.append(pts)

    def ring(idxs):
        pts = []
        for i in idxs:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a if not pts else a[1:])
        return pts

    def geom(g):
        t = g.get("type")
        if t == "Polygon":
            return {"type": t, "coordinates": [ring(r) for r in g["arcs"]]}
        if t == "MultiPolygon":
            return {"type": t,
                    "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
        return None

    feats = []

    def walk(obj):
        if obj.get("type") == "GeometryCollection":
            for g in obj["geometries"]:
                walk(g)
        else:
            gj = geom(obj)
            if gj is not None:
                feats.append({"properties": obj.get("properties") or {},
                              "geometry": gj})

    for obj in topo["objects"].values():
        walk(obj)
    return feats


def load_features(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("type") == "Topology":
        return topo_features(data)
    if data.get("type") == "FeatureCollection":
        return data["features"]
    sys.exit(f"{path}: ni GeoJSON FeatureCollection ni TopoJSON")


def load_collectivites(path):
    regions, dep_region = {}, {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            r = line.rstrip("\n").split("\t")
            kind, code = r[col["kind"]], r[col["code"]]
            if kind == "region":
                regions[code] = r[col["name"]]
            elif kind == "departement":
                dep_region[code] = r[col["region_code"]]
    return regions, dep_region


def region_of(props, dep_region):
    iso = prop(props, "iso_3166_2") or ""
    sub = iso.split("-", 1)[1] if iso.startswith("FR-") else ""
    if sub in ISO_REGION:
        return ISO_REGION[sub]
    dep = ISO_DROM.get(sub, sub)
    return dep_region.get(dep)


# --- projection et simplification --------------------------------------------

def project(geom, lat0, fit):
    """Equirectangulaire puis mise à l'échelle (fit = (a, bx, by))."""
    k = math.cos(math.radians(lat0))
    a, bx, by = fit
    return transform(geom, lambda xy: xy * [k * a, -a] + [bx, by])


def fit_for(geom, lat0, frame, padding=0.0):
    k = math.cos(math.radians(lat0))
    minx, miny, maxx, maxy = geom.bounds
    w, h = (maxx - minx) * k, (maxy - miny)
    x0, y0, x1, y1 = frame
    x0, y0, x1, y1 = x0 + padding, y0 + padding, x1 - padding, y1 - padding
    a = min((x1 - x0) / w, (y1 - y0) / h)
    # centrage dans le cadre
    bx = x0 + ((x1 - x0) - w * a) / 2 - minx * k * a
    by = y0 + ((y1 - y0) - h * a) / 2 + maxy * a
    return (a, bx, by)


def polygons(g):
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    if hasattr(g, "geoms"):
        return [p for x in g.geoms for p in polygons(x)]
    return []


def simplify_group(geoms, tol, min_area):
    """Simplification qui conserve les frontières communes d'un groupe."""
    boundaries = unary_union([g.boundary for g in geoms.values()])
    merged = line_merge(boundaries)
    lines = merged.geoms if hasattr(merged, "geoms") else [merged]
    simple = [ln.simplify(tol, preserve_topology=False) for ln in lines]
    faces = polygons(polygonize([unary_union(simple)]))
    out = {code: [] for code in geoms}
    for face in faces:
        if face.area <= 0:
            continue
        best, best_area = None, 0.0
        for code, g in geoms.items():
            if not g.envelope.intersects(face):
                continue
            ar = g.intersection(face).area
            if ar > best_area:
                best, best_area = code, ar
        # faces hors de toute région (enclaves étrangères, lacs) : ignorées
        if best is not None and best_area >= 0.5 * face.area:
            out[best].append(face)
    result = {}
    for code, fs in out.items():
        u = unary_union(fs) if fs else Polygon()
        keep = [p for p in polygons(u) if p.area >= min_area]
        if not keep:  # ne jamais perdre une région : garder la plus grande
            keep = sorted(polygons(u), key=lambda p: p.area)[-1:]
        result[code] = MultiPolygon(keep)
    return result


# --- SVG ---------------------------------------------------------------------

def num(v):
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def ring_d(coords):
    pts = []
    for x, y in coords[:-1]:  # l'anneau est fermé : Z remplace le dernier
        p = (num(x), num(y))
        if not pts or pts[-1] != p:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return ""
    head, rest = pts[0], pts[1:]
    return ("M" + head[0] + " " + head[1] + "L"
            + " ".join(x + " " + y for x, y in rest) + "Z")


def path_d(mp):
    parts = []
    for p in sorted(polygons(mp), key=lambda p: -p.area):
        # extérieur et trous de sens opposés : trous corrects avec la règle
        # de remplissage SVG par défaut (nonzero) comme avec evenodd
        p = orient(p, sign=1.0)
        for r in [p.exterior, *p.interiors]:
            d = ring_d(list(r.coords))
            if d:
                parts.append(d)
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source")
    ap.add_argument("--collectivites", default="server/data/collectivites.tsv")
    ap.add_argument("--out", default="app/src/domain/regions_map.txt")
    ap.add_argument("--check-svg")
    ap.add_argument("--tolerance", type=float, default=0.8)
    ap.add_argument("--min-area", type=float, default=1.5)
    args = ap.parse_args()

    names, dep_region = load_collectivites(args.collectivites)
    wanted = set(OVERSEAS) | {c for c in names
                              if c.isdigit() and 11 <= int(c) <= 94}

    by_region = {}
    for f in load_features(args.source):
        p = f.get("properties") or {}
        if prop(p, "iso_a2") != "FR" and prop(p, "admin") != "France":
            continue
        code = region_of(p, dep_region)
        if code not in wanted:
            sys.exit(f"entité sans région connue : {prop(p, 'iso_3166_2')} "
                     f"{prop(p, 'name')}")
        g = shape(f["geometry"])
        if not g.is_valid:
            g = g.buffer(0)
        by_region.setdefault(code, []).append(g)
    missing = wanted - set(by_region)
    if missing:
        sys.exit(f"régions absentes de la source : {sorted(missing)}")
    merged = {c: unary_union(gs) for c, gs in by_region.items()}

    out = {}
    metro = {c: g for c, g in merged.items() if c not in OVERSEAS}
    fit = fit_for(unary_union(list(metro.values())), 46.5, METRO_FRAME)
    proj = {c: project(g, 46.5, fit) for c, g in metro.items()}
    out.update(simplify_group(proj, args.tolerance, args.min_area))
    for code in OVERSEAS:
        g = merged[code]
        lat0 = (g.bounds[1] + g.bounds[3]) / 2
        fit = fit_for(g, lat0, INSET_FRAMES[code], INSET_PADDING)
        out.update(simplify_group({code: project(g, lat0, fit)},
                                  args.tolerance, args.min_area))

    order = sorted(out, key=lambda c: int(c))
    lines = ["# viewBox " + " ".join(str(v) for v in VIEWBOX)]
    for code in order:
        lines.append(f"{code}\t{names[code]}\t{path_d(out[code])}")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    if args.check_svg:
        colors = ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3",
                  "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd",
                  "#ccebc5", "#ffed6f", "#a6cee3", "#b2df8a", "#fb9a99",
                  "#fdbf6f", "#cab2d6", "#ffff99"]
        vb = " ".join(str(v) for v in VIEWBOX)
        svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vb}" '
               'width="900" height="900" style="background:#fff">']
        for x0, y0, x1, y1 in [METRO_FRAME, *INSET_FRAMES.values()]:
            svg.append(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" '
                       f'height="{y1 - y0}" fill="none" stroke="#999" '
                       'stroke-dasharray="4 2"/>')
        for i, code in enumerate(order):
            c = out[code].centroid
            svg.append(f'<path d="{path_d(out[code])}" fill="{colors[i]}" '
                       'stroke="#333" stroke-width="0.5"/>')
            svg.append(f'<text x="{c.x:.0f}" y="{c.y:.0f}" font-size="9" '
                       f'text-anchor="middle">{code}</text>')
        svg.append("</svg>")
        with open(args.check_svg, "w", encoding="utf-8") as f:
            f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
