"""Build static/map/world-110m.svg, the country outlines of every map, from the vendored TopoJSON.

The outlines are Natural Earth's 1:110m countries (public domain) from the
world-atlas npm package, vendored unchanged under static/vendor/. This turns
them into two SVG paths in the maps' projection (see partnerships/maps/drawing.py):
`#land`, the land to fill, and `#borders`, the borders between countries,
each drawn once. Run it again only when the vendored file changes.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.maps import drawing

SOURCE = Path(settings.BASE_DIR) / "static" / "vendor" / "world-atlas-2.0.2" / "countries-110m.json"
TARGET = Path(settings.BASE_DIR) / "static" / "map" / "world-110m.svg"


def decode_arcs(topology):
    """The topology's arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def unwrapped(ring):
    """A ring whose longitudes never jump by more than 180°, drawn as often as the world's edges cut it.

    Natural Earth's rings cross the antimeridian (Chukotka, Fiji): taken as
    they are, they would streak across the whole map. Unwrapped, such a ring
    runs past ±180°, and a copy shifted by 360° draws the part beyond the edge.
    A ring that goes round the pole (Antarctica) is closed along the pole.
    """
    points = [ring[0]]
    for lon, lat in ring[1:]:
        previous = points[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        points.append((lon, lat))
    if abs(points[-1][0] - points[0][0]) > 180:
        pole = -90 if sum(lat for _, lat in points) < 0 else 90
        points += [(points[-1][0], pole), (points[0][0], pole)]
    lons = [lon for lon, _ in points]
    copies = [points]
    if max(lons) > 180:
        copies.append([(lon - 360, lat) for lon, lat in points])
    if min(lons) < -180:
        copies.append([(lon + 360, lat) for lon, lat in points])
    return copies


def split(line):
    """An open line cut where it crosses the antimeridian."""
    pieces = [[line[0]]]
    for point in line[1:]:
        if abs(point[0] - pieces[-1][-1][0]) > 180:
            pieces.append([])
        pieces[-1].append(point)
    return [piece for piece in pieces if len(piece) > 1]


def path_data(lines, closed):
    """Lines of (longitude, latitude) as compact path data: absolute start, then relative steps."""
    parts = []
    for line in lines:
        points = [drawing.project(lon, lat) for lon, lat in line]
        steps, (x, y) = [], points[0]
        for px, py in points[1:]:
            if (px, py) != (x, y):
                steps.append(f"{px - x} {py - y}")
                x, y = px, py
        if len(steps) < (2 if closed else 1):
            continue  # too small to see at this resolution
        parts.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps).replace(" -", "-") + ("z" if closed else ""))
    return "".join(parts)


class Command(BaseCommand):
    help = "Build static/map/world-110m.svg (land and borders) from the vendored Natural Earth TopoJSON."

    def handle(self, *args, **options):
        topology = json.loads(SOURCE.read_text())
        arcs = decode_arcs(topology)

        def ring(indexes):
            points = []
            for i in indexes:
                arc = arcs[i] if i >= 0 else arcs[~i][::-1]
                points.extend(arc if not points else arc[1:])
            return points

        land = [
            copy
            for geometry in topology["objects"]["land"]["geometries"]
            for poly in polygons(geometry)
            for r in poly
            for copy in unwrapped(ring(r))
        ]
        owners = {}
        for n, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
            for poly in polygons(geometry):
                for r in poly:
                    for i in r:
                        owners.setdefault(i if i >= 0 else ~i, set()).add(n)
        borders = [piece for i, sharing in sorted(owners.items()) if len(sharing) > 1 for piece in split(arcs[i])]

        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3600 1800">\n'
            "<!-- Natural Earth 1:110m countries (public domain), from world-atlas 2.0.2 (ISC, Michael Bostock);\n"
            "     equirectangular, 10 units per degree; built by `manage.py build_world_map`. -->\n"
            f'<path id="land" d="{path_data(land, closed=True)}"/>\n'
            '<path id="borders" fill="none" vector-effect="non-scaling-stroke" '
            f'd="{path_data(borders, closed=False)}"/>\n'
            "</svg>\n"
        )
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(svg)
        self.stdout.write(f"Wrote {TARGET} ({len(svg):,} bytes: {len(land)} land rings, {len(borders)} borders).")
