/* The partnership map, enhanced: zoom and pan, tooltips, and live year changes.
 *
 * The server draws the whole map as SVG (partnerships/maps.py), so the page
 * works without this script. With it, the map zooms (wheel, pinch, buttons,
 * + and - keys), pans (drag, arrow keys), names the places under the pointer
 * and redraws at once when the year or "undated" changes, from
 * /map/data.json with the page's own filters. It draws by the same rules as
 * the server: coordinates rounded to 0.1°, x = (lon + 180) × 10,
 * y = (90 − lat) × 10, places at one point merged, lines the short way round.
 */
(function () {
  "use strict";

  // Words from Django's JavaScript catalogue (/<language>/jsi18n/, loaded first); English without it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) { return String(values[key]); });
  }
  var language = document.documentElement.lang || "en";

  var figure = document.querySelector("[data-network-map]");
  if (!figure) return;
  var svg = figure.querySelector("svg.map");
  var frame = figure.querySelector(".map-frame");
  var form = document.querySelector("[data-map-form]");
  var caption = figure.querySelector("[data-map-caption]");
  var home = svg.getAttribute("data-viewbox").split(" ").map(Number);
  var world = svg.getAttribute("data-world").split(" ").map(Number);
  var view = home.slice();
  var WORLD = 3600;
  var placeUrl = figure.getAttribute("data-place-url");
  var data = null;
  var loading = null;

  // -- zoom and pan ----------------------------------------------------------

  function show(v) {
    var w = Math.min(Math.max(v[2], world[2] / 64), world[2]);
    var h = w * world[3] / world[2];
    var x = Math.min(Math.max(v[0], world[0]), world[0] + world[2] - w);
    var y = Math.min(Math.max(v[1], world[1]), world[1] + world[3] - h);
    view = [x, y, w, h];
    svg.setAttribute("viewBox", view.map(function (n) { return Math.round(n * 10) / 10; }).join(" "));
  }

  function unitsPerPixel() {
    return view[2] / (svg.clientWidth || 1);
  }

  function toMap(clientX, clientY) {
    var box = svg.getBoundingClientRect();
    return [view[0] + (clientX - box.left) * unitsPerPixel(), view[1] + (clientY - box.top) * unitsPerPixel()];
  }

  function zoom(factor, at) {
    at = at || [view[0] + view[2] / 2, view[1] + view[3] / 2];
    var w = view[2] * factor;
    var h = view[3] * factor;
    show([at[0] - (at[0] - view[0]) * factor, at[1] - (at[1] - view[1]) * factor, w, h]);
  }

  function button(label, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  var controls = document.createElement("div");
  controls.className = "map-zoom";
  controls.appendChild(button(gettext("Zoom in"), "+", function () { zoom(1 / 1.6); }));
  controls.appendChild(button(gettext("Zoom out"), "−", function () { zoom(1.6); }));
  function reset() {
    view = home.slice();
    svg.setAttribute("viewBox", svg.getAttribute("data-viewbox"));
  }
  controls.appendChild(button(gettext("Reset the view"), "⟲", reset));
  frame.appendChild(controls);
  frame.classList.add("enhanced");
  svg.setAttribute("tabindex", "0");

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1 / 1.25 : 1.25, toMap(event.clientX, event.clientY));
  }, { passive: false });

  svg.addEventListener("keydown", function (event) {
    var step = view[2] / 8;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      show([view[0] + moves[event.key][0], view[1] + moves[event.key][1], view[2], view[3]]);
    } else if (event.key === "+" || event.key === "=") {
      zoom(1 / 1.6);
    } else if (event.key === "-") {
      zoom(1.6);
    } else if (event.key === "0") {
      reset();
    } else {
      return;
    }
    event.preventDefault();
  });

  var pointers = {};
  var dragged = false;
  function spread() {
    var ids = Object.keys(pointers);
    if (ids.length < 2) return null;
    var a = pointers[ids[0]], b = pointers[ids[1]];
    return { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }
  svg.addEventListener("pointerdown", function (event) {
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    dragged = false;
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    var last = pointers[event.pointerId];
    if (!last) { hover(event); return; }
    var before = spread();
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    var after = spread();
    if (before && after && before.d > 0) {
      zoom(before.d / after.d, toMap(after.x, after.y));
    } else if (!before) {
      var dx = event.clientX - last.x, dy = event.clientY - last.y;
      if (Math.abs(dx) + Math.abs(dy) > 0) dragged = true;
      show([view[0] - dx * unitsPerPixel(), view[1] - dy * unitsPerPixel(), view[2], view[3]]);
    }
    hideTip();
  });
  function release(event) { delete pointers[event.pointerId]; }
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);

  // -- data ------------------------------------------------------------------

  function query() {
    var params = new URLSearchParams(new FormData(form));
    var cleaned = new URLSearchParams();
    params.forEach(function (value, key) { if (value !== "") cleaned.append(key, value); });
    return cleaned;
  }

  function fetchData(params) {
    var url = figure.getAttribute("data-json") + "?" + params.toString();
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) throw new Error("The map data did not load (" + response.status + ").");
      return response.json();
    });
  }

  function ensureData() {
    if (!data && !loading) {
      loading = fetchData(new URLSearchParams(window.location.search)).then(function (d) {
        data = index(d);
        loading = null;
      }).catch(function () { loading = null; });
    }
  }

  function project(lon, lat) {
    return [Math.round((lon + 180) * 10), Math.round((90 - lat) * 10)];
  }

  function sizeClass(n, classes) {
    for (var i = classes.length - 1; i >= 0; i--) if (n >= classes[i]) return i;
    return 0;
  }

  // Places merged per point, and a coarse grid of points for finding the one under the pointer.
  function index(d) {
    var points = {};
    d.points = [];
    d.places.forEach(function (p, i) {
      var xy = project(p[0], p[1]);
      var key = xy[0] + " " + xy[1];
      if (!points[key]) {
        points[key] = { x: xy[0], y: xy[1], places: [], partners: 0 };
        d.points.push(points[key]);
      }
      points[key].places.push(i);
      points[key].partners += p[2];
    });
    d.grid = {};
    d.points.forEach(function (pt) {
      var key = Math.floor(pt.x / 20) + " " + Math.floor(pt.y / 20);
      (d.grid[key] = d.grid[key] || []).push(pt);
    });
    return d;
  }

  // -- redrawing ---------------------------------------------------------------

  function segment(a, b) {
    if (Math.abs(b[0] - a[0]) <= WORLD / 2) return "M" + a[0] + " " + a[1] + " " + b[0] + " " + b[1];
    var shift = b[0] < a[0] ? WORLD : -WORLD;
    return "M" + a[0] + " " + a[1] + " " + (b[0] + shift) + " " + b[1] +
      "M" + (a[0] - shift) + " " + a[1] + " " + b[0] + " " + b[1];
  }

  function redraw(d) {
    var xy = d.places.map(function (p) { return project(p[0], p[1]); });
    var undated = {};
    d.undated_lines.forEach(function (n) { undated[n] = true; });
    var seen = {}, dated = [], notDated = [], count = 0;
    for (var n = 0; n < d.lines.length / 2; n++) {
      var a = xy[d.lines[2 * n]], b = xy[d.lines[2 * n + 1]];
      var first = a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b;
      var second = first === a ? b : a;
      var key = first.join(" ") + " " + second.join(" ") + (undated[n] ? " u" : "");
      if ((a[0] === b[0] && a[1] === b[1]) || seen[key]) continue;
      seen[key] = true;
      count++;
      (undated[n] ? notDated : dated).push(segment(a, b));
    }
    svg.querySelector(".lines:not(.undated)").setAttribute("d", dated.join(""));
    svg.querySelector(".lines.undated").setAttribute("d", notDated.join(""));
    svg.classList.toggle("dense", count > d.dense_lines);
    svg.classList.toggle("sparse", d.points.length < d.sparse_dots);
    var legend = document.querySelector("[data-map-legend]");
    if (legend) legend.classList.toggle("sparse", d.points.length < d.sparse_dots);
    svg.setAttribute("data-lines", String(count));

    var classes = d.size_classes.map(function () { return []; });
    d.points.forEach(function (pt) {
      classes[sizeClass(pt.partners, d.size_classes)].push("M" + pt.x + " " + pt.y + "h0");
    });
    var group = svg.querySelector(".dots");
    while (group.firstChild) group.removeChild(group.firstChild);
    for (var i = classes.length - 1; i >= 0; i--) {
      if (!classes[i].length) continue;
      var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("class", "dot size-" + i);
      path.setAttribute("d", classes[i].join(""));
      group.appendChild(path);
    }
    svg.setAttribute("data-dots", String(d.points.length));
    describe(d, count);
    listTop(d);
    hideTip();
  }

  // The most connected places, as the server lists them under the map.
  function listTop(d) {
    var list = document.querySelector("[data-top-places]");
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    d.places.slice(0, 25).forEach(function (p) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = placeUrl.replace("__slug__", p[3]);
      link.textContent = p[4];
      var country = document.createElement("span");
      country.className = "muted";
      country.textContent = "(" + p[5] + ")";
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(country);
      item.appendChild(document.createTextNode(" — " + partners(p[2])));
      list.appendChild(item);
    });
    if (!d.places.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = gettext("No place with coordinates matches.");
      list.appendChild(none);
    }
  }

  function number(n) {
    try {
      return n.toLocaleString(language, { useGrouping: true });
    } catch (error) {
      return n.toLocaleString("en");
    }
  }

  function partners(n) {
    return format(ngettext("%(n)s partner", "%(n)s partners", n), { n: number(n) });
  }

  // The text of a translated phrase with its number in bold: "<strong>4</strong> partnerships".
  function appendWithNumber(text, n) {
    var parts = text.split("%(n)s");
    caption.appendChild(document.createTextNode(parts[0]));
    var strong = document.createElement("strong");
    strong.textContent = number(n);
    caption.appendChild(strong);
    caption.appendChild(document.createTextNode(parts.slice(1).join("")));
  }

  function describe(d, lines) {
    var c = d.counts;
    while (caption.firstChild) caption.removeChild(caption.firstChild);
    appendWithNumber(ngettext("%(n)s partnership", "%(n)s partnerships", c.partnerships), c.partnerships);
    if (d.year) caption.appendChild(document.createTextNode(" " + format(gettext("in %(year)s"), { year: d.year })));
    caption.appendChild(document.createTextNode(" "));
    appendWithNumber(ngettext("between %(n)s located place", "between %(n)s located places", c.places), c.places);
    caption.appendChild(document.createTextNode(
      format(ngettext(", drawn as %(n)s line.", ", drawn as %(n)s lines.", lines), { n: number(lines) }) + " " +
      (c.without_coordinates ? format(ngettext("%(n)s not drawn: a place has no coordinates yet.",
        "%(n)s not drawn: a place has no coordinates yet.", c.without_coordinates),
      { n: number(c.without_coordinates) }) + " " : "")));
    if (c.undated_hidden) {
      var undated = format(gettext("%(n)s with no known date left out (%(link)s)."),
        { n: number(c.undated_hidden), link: "\u0000" }).split("\u0000");
      caption.appendChild(document.createTextNode(undated[0]));
      var link = document.createElement("a");
      link.href = "#";
      link.textContent = gettext("show them");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        form.elements.undated.checked = true;
        update();
      });
      caption.appendChild(link);
      caption.appendChild(document.createTextNode(undated.slice(1).join("")));
    }
  }

  function update() {
    var params = query();
    figure.classList.add("busy");
    fetchData(params).then(function (d) {
      data = index(d);
      redraw(data);
      history.replaceState(null, "", "?" + params.toString());
      stepLinks(params);
    }).catch(function (error) {
      caption.textContent = error.message;
    }).then(function () {
      figure.classList.remove("busy");
    });
  }

  // The previous and next year links, and "all years", for the year now shown.
  function stepLinks(params) {
    var steps = document.querySelector("[data-year-steps]");
    if (!steps) return;
    while (steps.firstChild) steps.removeChild(steps.firstChild);
    var year = Number(params.get("year"));
    function link(text, value, rel) {
      var p = new URLSearchParams(params);
      if (value) p.set("year", value); else p.delete("year");
      var a = document.createElement("a");
      a.href = "?" + p.toString();
      a.textContent = text;
      if (rel) a.rel = rel;
      steps.appendChild(a);
    }
    if (!year) return;
    if (year > Number(years[0])) link("‹ " + (year - 1), String(year - 1), "prev");
    if (year < Number(years[years.length - 1])) link((year + 1) + " ›", String(year + 1), "next");
    link(gettext("all years"), null);
  }

  var yearSelect = form.elements.year;
  var undatedBox = form.elements.undated;
  yearSelect.addEventListener("change", function () { syncSlider(); update(); });
  undatedBox.addEventListener("change", update);

  // A slider and a play button beside the year list, for running through the years.
  var years = Array.prototype.map.call(yearSelect.options, function (o) { return o.value; }).filter(Boolean);
  var slider = null;
  function syncSlider() {
    if (!slider) return;
    slider.value = yearSelect.value || years[years.length - 1];
    slider.classList.toggle("all-years", !yearSelect.value);
  }
  if (years.length > 1) {
    var wrap = document.createElement("span");
    wrap.className = "year-slider";
    slider = document.createElement("input");
    slider.type = "range";
    slider.min = years[0];
    slider.max = years[years.length - 1];
    slider.step = "1";
    slider.setAttribute("aria-label", gettext("Year"));
    syncSlider();
    var timer = null;
    slider.addEventListener("input", function () {
      yearSelect.value = slider.value;
      clearTimeout(timer);
      timer = setTimeout(update, 120);
    });
    var play = button(gettext("Play through the years"), "▶", function () {
      if (play.interval) {
        clearInterval(play.interval);
        play.interval = null;
        play.textContent = "▶";
        return;
      }
      var next = Number(yearSelect.value) || Number(years[0]) - 1;
      if (next >= Number(years[years.length - 1])) next = Number(years[0]) - 1;
      play.textContent = "⏸";
      play.interval = setInterval(function () {
        next += 1;
        if (next > Number(years[years.length - 1])) {
          clearInterval(play.interval);
          play.interval = null;
          play.textContent = "▶";
          return;
        }
        yearSelect.value = String(next);
        syncSlider();
        update();
      }, 900);
    });
    wrap.appendChild(slider);
    wrap.appendChild(play);
    yearSelect.parentNode.insertBefore(wrap, yearSelect.nextSibling);
  }
  var submit = form.querySelector(".year-control button[type=submit]");
  if (submit) submit.hidden = true; // the map follows the year list by itself now

  // -- tooltips ----------------------------------------------------------------

  var tip = document.createElement("div");
  tip.className = "map-tip";
  tip.setAttribute("aria-hidden", "true");
  tip.hidden = true;
  frame.appendChild(tip);
  var current = null;

  function hideTip() {
    tip.hidden = true;
    current = null;
    svg.classList.remove("pointing");
  }

  function nearest(at) {
    var reach = 9 * unitsPerPixel();
    var best = null, bestDistance = reach;
    var gx = Math.floor(at[0] / 20), gy = Math.floor(at[1] / 20);
    var span = Math.ceil(reach / 20);
    for (var i = gx - span; i <= gx + span; i++) {
      for (var j = gy - span; j <= gy + span; j++) {
        (data.grid[i + " " + j] || []).forEach(function (pt) {
          var distance = Math.hypot(pt.x - at[0], pt.y - at[1]);
          if (distance <= bestDistance) { best = pt; bestDistance = distance; }
        });
      }
    }
    return best;
  }

  function hover(event) {
    ensureData();
    if (!data) return;
    var pt = nearest(toMap(event.clientX, event.clientY));
    if (!pt) { hideTip(); return; }
    current = pt;
    svg.classList.add("pointing");
    var names = pt.places.slice(0, 6).map(function (i) {
      var p = data.places[i];
      return p[4] + " (" + p[5] + "), " + partners(p[2]);
    });
    if (pt.places.length > 6) names.push(format(gettext("and %(n)s more"), { n: number(pt.places.length - 6) }));
    tip.textContent = names.join("\n");
    tip.hidden = false;
    var box = frame.getBoundingClientRect();
    var left = event.clientX - box.left + 12;
    var top = event.clientY - box.top + 12;
    tip.style.left = Math.min(left, box.width - tip.offsetWidth - 4) + "px";
    tip.style.top = (top + tip.offsetHeight > box.height ? top - tip.offsetHeight - 24 : top) + "px";
  }

  svg.addEventListener("pointerenter", ensureData);
  svg.addEventListener("pointerleave", hideTip);
  svg.addEventListener("click", function () {
    if (dragged || !current || !placeUrl) return;
    window.location.href = placeUrl.replace("__slug__", data.places[current.places[0]][3]);
  });
})();
