"""Maps and timelines, drawn on the server as SVG.

- `drawing`: the projection, the network of partnerships as lines and dots,
  the small maps of place and partnership pages.
- `timelines`: the drawn timelines of partnership and place pages.
- `views`: the map page (/map/) and its data (/map/data.json).
"""
