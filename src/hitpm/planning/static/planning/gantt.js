// hitpm Gantt chart: a virtualised task grid and SVG chart (only the rows in view are drawn),
// edited by dragging. Every edit goes to the server, which reschedules with the engine and
// answers with the tasks that moved; only those are updated here. Times are epoch minutes (UTC).
(function () {
  "use strict";

  var ROW = 28;
  var DAY = 1440;
  var STUB = 6;
  var GRIP = 6;
  var BUFFER = 6;
  var ZOOMS = { day: 28, week: 9, month: 2.6, quarter: 0.95 };
  var TIERS = { day: ["month", "day"], week: ["month", "week"], month: ["year", "month"], quarter: ["year", "quarter"] };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

  var root = document.getElementById("gantt");
  if (!root) {
    return;
  }
  var editable = root.dataset.edit === "true";
  var tree = document.getElementById("gantt-tree");
  var grid = document.getElementById("gantt-grid");
  var gridSpacer = grid.querySelector(".gantt-spacer");
  var body = root.querySelector(".gantt-chart-body");
  var bodySpacer = body.querySelector(".gantt-spacer");
  var svg = body.querySelector(".gantt-svg");
  var scaleSvg = root.querySelector(".gantt-scale svg");
  var alertBox = document.getElementById("gantt-alert");
  var statusBox = document.getElementById("gantt-status");
  var baselineSelect = document.getElementById("gantt-baseline");
  var unlinkButton = document.querySelector("[data-action=unlink]");

  var state = {
    project: null, calendar: null, tasks: [], byId: new Map(), links: [], linkById: new Map(),
    collapsed: new Set(), rows: [], rowOf: new Map(), hasChildren: new Set(),
    zoom: "week", origin: 0, days: 0, ppd: ZOOMS.week, offDays: null,
    selected: null, active: 0, selectedLink: null, drag: null, hover: null, baseline: "",
    marks: { ready: false, applied: false },
  };

  // -- helpers ------------------------------------------------------------------------------

  function esc(value) {
    return String(value).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function utc(m) { return new Date(m * 60000); }
  function fmtDate(m) {
    if (m === null || m === undefined) { return "—"; }
    var d = utc(m);
    return WEEKDAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " +
      String(d.getUTCFullYear()).slice(2);
  }
  function fmtDays(minutes) {
    var v = Math.round(minutes / 48) / 10;
    return String(v) + "d";
  }
  function x(m) { return (m - state.origin) * state.ppd / DAY; }
  function minuteAt(px) { return state.origin + px / state.ppd * DAY; }
  function label(t) { return (t.wbs ? t.wbs + " " : "") + t.name; }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var headers = document.body.getAttribute("hx-headers");
    return headers ? JSON.parse(headers)["X-CSRFToken"] : "";
  }
  function say(text) { statusBox.textContent = text; }
  function showError(text) {
    alertBox.textContent = text;
    alertBox.hidden = false;
  }
  function clearError() { alertBox.hidden = true; alertBox.textContent = ""; }

  // -- data ---------------------------------------------------------------------------------

  function load() {
    var url = root.dataset.data + (state.baseline ? "?baseline=" + state.baseline : "");
    tree.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (payload) {
          if (!response.ok) { throw new Error(payload.detail || "The plan could not be loaded."); }
          return payload;
        });
      })
      .then(function (payload) {
        state.project = payload.project;
        state.calendar = payload.calendar;
        state.tasks = payload.tasks;
        state.links = payload.links;
        state.byId = new Map(payload.tasks.map(function (t) { return [t.id, t]; }));
        state.linkById = new Map(payload.links.map(function (l) { return [l.id, l]; }));
        fillBaselines(payload.baselines, payload.baseline);
        structure();
        var first = !root.dataset.ready;
        if (first) { state.zoom = fittingZoom(); }
        state.marks.ready = first;
        rescale(first);
        tree.setAttribute("aria-busy", "false");
        root.dataset.ready = "true";
      })
      .catch(function (error) { showError(error.message); });
  }

  function fillBaselines(baselines, shown) {
    var options = ['<option value="">' + (baselines.length ? "None" : "None saved") + "</option>"];
    baselines.forEach(function (b) {
      options.push('<option value="' + b.id + '"' + (b.id === shown ? " selected" : "") + ">" + esc(b.name) + "</option>");
    });
    baselineSelect.innerHTML = options.join("");
    if (shown === null) { baselineSelect.value = ""; }
    state.baselineShown = shown;
    document.querySelectorAll("[data-export]").forEach(function (a) {
      var url = new URL(a.href);
      if (shown) { url.searchParams.set("baseline", shown); } else { url.searchParams.delete("baseline"); }
      url.searchParams.set("zoom", state.zoom);
      a.href = url.toString();
    });
  }

  // Which rows are visible: every task whose summary ancestors are all expanded.
  function structure() {
    state.hasChildren = new Set();
    state.tasks.forEach(function (t) { if (t.parent !== null) { state.hasChildren.add(t.parent); } });
    var rows = [];
    var hiddenBelow = null;
    state.tasks.forEach(function (t) {
      if (hiddenBelow !== null && t.level > hiddenBelow) { return; }
      hiddenBelow = null;
      rows.push(t);
      if (state.collapsed.has(t.id) && state.hasChildren.has(t.id)) { hiddenBelow = t.level; }
    });
    state.rows = rows;
    state.rowOf = new Map(rows.map(function (t, i) { return [t.id, i]; }));
    tree.setAttribute("aria-rowcount", String(rows.length + 1));
    var height = rows.length * ROW + ROW;
    gridSpacer.style.height = height + "px";
    bodySpacer.style.height = height + "px";
    state.active = Math.min(state.active, Math.max(rows.length - 1, 0));
  }

  // The most detailed zoom that shows the whole plan in the chart's width (quarter at most).
  function fittingZoom() {
    var span = taskSpan();
    var days = (span[1] - span[0]) / DAY + 4;
    var names = ["day", "week", "month"];
    for (var i = 0; i < names.length; i++) {
      if (days * ZOOMS[names[i]] <= body.clientWidth) { return names[i]; }
    }
    return "quarter";
  }
  function taskSpan() {
    var lo = Infinity, hi = -Infinity;
    state.tasks.forEach(function (t) {
      if (t.s !== null) { lo = Math.min(lo, t.s); }
      if (t.f !== null) { hi = Math.max(hi, t.f); }
    });
    return lo === Infinity ? [state.project.start, state.project.start + 30 * DAY] : [lo, hi];
  }

  // The time axis: the plan's span with a margin, at the zoom's pixels per day.
  function rescale(first) {
    var lo = Infinity, hi = -Infinity;
    state.tasks.forEach(function (t) {
      [t.s, t.f, t.bs, t.bf].forEach(function (v) {
        if (v !== null && v !== undefined) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      });
    });
    [state.project.status_date, state.project.today, state.project.start].forEach(function (v) {
      if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    });
    var centre = minuteAt(body.scrollLeft + body.clientWidth / 2);
    state.origin = (Math.floor(lo / DAY) - 7) * DAY;
    state.days = Math.floor(hi / DAY) + 21 - state.origin / DAY;
    state.ppd = ZOOMS[state.zoom];
    state.offDays = nonWorkingDays();
    bodySpacer.style.width = Math.ceil(state.days * state.ppd) + "px";
    document.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.zoom === state.zoom));
    });
    if (first) {
      body.scrollLeft = Math.max(x(taskSpan()[0]) - 2 * state.ppd, 0);
    } else {
      body.scrollLeft = Math.max(x(centre) - body.clientWidth / 2, 0);
    }
    draw();
  }

  function nonWorkingDays() {
    var off = new Uint8Array(state.days);
    var weekly = state.calendar.weekly;
    for (var i = 0; i < state.days; i++) {
      var weekday = (utc(state.origin + i * DAY).getUTCDay() + 6) % 7;
      off[i] = weekly[weekday].length ? 0 : 1;
    }
    state.calendar.exceptions.forEach(function (e) {
      var from = Date.parse(e.start + "T00:00:00Z") / 60000, to = Date.parse(e.end + "T00:00:00Z") / 60000;
      for (var m = from; m <= to; m += DAY) {
        var d = (m - state.origin) / DAY;
        if (d >= 0 && d < state.days) { off[d] = e.working ? 0 : 1; }
      }
    });
    return off;
  }

  // -- drawing ------------------------------------------------------------------------------

  var pending = false;
  function draw() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(function () { pending = false; paint(); });
    }
  }

  function view() {
    var top = body.scrollTop, left = body.scrollLeft;
    return {
      top: top, left: left, width: body.clientWidth, height: body.clientHeight,
      first: Math.max(Math.floor(top / ROW) - BUFFER, 0),
      last: Math.min(Math.ceil((top + body.clientHeight) / ROW) + BUFFER, state.rows.length - 1),
    };
  }

  function paint() {
    if (!state.project) { return; }
    var v = view();
    grid.scrollTop = v.top;
    paintGrid(v);
    paintScale(v);
    paintChart(v);
    // Marks for the benchmark and the browser's performance panel: chart drawn, edit redrawn.
    if (state.marks.ready) { performance.mark("gantt-ready"); state.marks.ready = false; }
    if (state.marks.applied) { performance.measure("gantt-redraw", "gantt-apply"); state.marks.applied = false; }
  }

  function paintGrid(v) {
    var html = [];
    for (var i = v.first; i <= v.last; i++) {
      var t = state.rows[i];
      var classes = "gantt-row" + (t.summary ? " summary" : "") + (t.critical ? " critical" : "") +
        (t.id === state.selected ? " selected" : "") + (i === state.active ? " active" : "");
      var parent = state.hasChildren.has(t.id);
      var toggle = parent
        ? '<button type="button" class="gantt-toggle" tabindex="-1" data-toggle="' + t.id + '" aria-label="' +
          (state.collapsed.has(t.id) ? "Expand " : "Collapse ") + esc(label(t)) + '">' + (state.collapsed.has(t.id) ? "▸" : "▾") + "</button>"
        : '<span class="gantt-toggle-space"></span>';
      html.push(
        '<div class="' + classes + '" role="row" id="gantt-row-' + t.id + '" data-id="' + t.id + '" aria-rowindex="' + (i + 2) +
        '" aria-level="' + t.level + '"' + (parent ? ' aria-expanded="' + !state.collapsed.has(t.id) + '"' : "") +
        (t.id === state.selected ? ' aria-selected="true"' : "") + ' style="top:' + i * ROW + "px;--level:" + t.level + '">' +
        '<span role="gridcell" class="c-wbs">' + esc(t.wbs) + "</span>" +
        '<span role="gridcell" class="c-name" title="' + esc(t.name) + '">' + toggle + (t.milestone ? "◆ " : "") + esc(t.name) +
        (t.critical ? '<span class="visually-hidden"> (critical)</span>' : "") + "</span>" +
        '<span role="gridcell" class="c-dur">' + (t.summary ? "" : fmtDays(t.dur)) + "</span>" +
        '<span role="gridcell" class="c-start">' + fmtDate(t.s) + "</span>" +
        '<span role="gridcell" class="c-finish">' + fmtDate(t.f) + "</span></div>"
      );
    }
    var rows = html.join("");
    var holder = grid.querySelector(".gantt-rows");
    if (!holder) {
      holder = document.createElement("div");
      holder.className = "gantt-rows";
      holder.setAttribute("role", "rowgroup");
      grid.appendChild(holder);
    }
    holder.innerHTML = rows;
    var active = state.rows[state.active];
    if (active) { tree.setAttribute("aria-activedescendant", "gantt-row-" + active.id); }
  }

  function nextCell(day, unit) {
    var d = utc(day);
    var y = d.getUTCFullYear(), m = d.getUTCMonth();
    if (unit === "day") { return day + DAY; }
    if (unit === "week") { return day + (7 - (d.getUTCDay() + 6) % 7) * DAY; }
    if (unit === "year") { return Date.UTC(y + 1, 0, 1) / 60000; }
    var step = unit === "quarter" ? 3 : 1;
    return Date.UTC(y, Math.floor(m / step) * step + step, 1) / 60000;
  }
  function cellLabel(day, unit) {
    var d = utc(day);
    if (unit === "day") { return String(d.getUTCDate()); }
    if (unit === "week") {
      var monday = utc(day - ((d.getUTCDay() + 6) % 7) * DAY);
      return monday.getUTCDate() + " " + MONTHS[monday.getUTCMonth()];
    }
    if (unit === "month") { return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
    if (unit === "quarter") { return "Q" + (Math.floor(d.getUTCMonth() / 3) + 1) + " " + d.getUTCFullYear(); }
    return String(d.getUTCFullYear());
  }

  function paintScale(v) {
    var from = minuteAt(v.left), to = minuteAt(v.left + v.width);
    var html = [];
    TIERS[state.zoom].forEach(function (unit, tier) {
      var y = tier * 20;
      var day = Math.floor(from / DAY) * DAY;
      if (unit !== "day") {
        // Walk from the start of the axis so cells begin on their natural boundary.
        day = state.origin;
        while (nextCell(day, unit) <= from) { day = nextCell(day, unit); }
      }
      while (day < to) {
        var next = nextCell(day, unit);
        var x0 = x(day) - v.left, x1 = x(next) - v.left;
        var text = cellLabel(day, unit);
        html.push('<line x1="' + x0 + '" y1="' + y + '" x2="' + x0 + '" y2="' + (y + 20) + '"/>');
        if (Math.min(x1, v.width) - Math.max(x0, 0) > text.length * 6.5) {
          html.push('<text x="' + (Math.max(x0, 0) + 3) + '" y="' + (y + 14) + '">' + text + "</text>");
        }
        day = next;
      }
    });
    html.push('<line x1="0" y1="20" x2="' + v.width + '" y2="20"/>');
    scaleSvg.innerHTML = html.join("");
  }

  function ends(t) {
    if (t.milestone) { var c = x(t.s); return [c - 7, c + 7]; }
    return [x(t.s), x(t.f)];
  }

  // Where a task's bar is while it is being dragged (its stored dates otherwise).
  function barSpan(t) {
    var e = ends(t);
    var d = state.drag;
    if (d && d.task === t && d.moved) {
      if (d.mode === "move") { return [e[0] + d.dx, e[1] + d.dx]; }
      if (d.mode === "resize") { return [e[0], Math.max(e[1] + d.dx, e[0] + state.ppd)]; }
    }
    return e;
  }

  function arrow(x1, y1, leavesFinish, x2, y2, entersFinish) {
    var out = x1 + (leavesFinish ? STUB : -STUB);
    var into = x2 + (entersFinish ? STUB : -STUB);
    var direct = entersFinish ? out >= into : out <= into;
    var pts = direct
      ? [[x1, y1], [out, y1], [out, y2], [x2, y2]]
      : [[x1, y1], [out, y1], [out, y2 >= y1 ? y2 - ROW / 2 : y2 + ROW / 2],
        [into, y2 >= y1 ? y2 - ROW / 2 : y2 + ROW / 2], [into, y2], [x2, y2]];
    return pts.map(function (p) { return p[0].toFixed(1) + "," + p[1]; }).join(" ");
  }

  function paintChart(v) {
    svg.setAttribute("width", v.width);
    svg.setAttribute("height", v.height);
    svg.style.transform = "translate(" + v.left + "px," + v.top + "px)";
    var h = ['<g transform="translate(' + -v.left + "," + -v.top + ')">'];
    var top = v.first * ROW, bottom = (v.last + 1) * ROW + v.height;
    if (state.ppd >= 3) {
      var d0 = Math.max(Math.floor(v.left / state.ppd), 0), d1 = Math.min(Math.ceil((v.left + v.width) / state.ppd), state.days);
      for (var d = d0; d < d1; d++) {
        if (state.offDays[d]) {
          var run = d;
          while (run + 1 < d1 && state.offDays[run + 1]) { run++; }
          h.push('<rect class="shade" x="' + d * state.ppd + '" y="' + top + '" width="' + (run - d + 1) * state.ppd + '" height="' + (bottom - top) + '"/>');
          d = run;
        }
      }
    }
    var sel = state.rowOf.get(state.selected);
    if (sel !== undefined) {
      h.push('<rect class="row-sel" x="' + v.left + '" y="' + sel * ROW + '" width="' + v.width + '" height="' + ROW + '"/>');
    }
    var withBaseline = state.baselineShown !== null && state.baselineShown !== undefined;
    paintLinks(h, v);
    for (var i = v.first; i <= v.last; i++) { paintTask(h, state.rows[i], i, withBaseline); }
    [["today", state.project.today], ["status", state.project.status_date]].forEach(function (line) {
      if (line[1] !== null) {
        var lx = x(line[1]);
        h.push('<line class="' + line[0] + '" x1="' + lx + '" y1="' + top + '" x2="' + lx + '" y2="' + bottom + '"/>');
      }
    });
    var drag = state.drag;
    if (drag && drag.mode === "link" && drag.moved) {
      h.push('<line class="rubber" x1="' + drag.x0 + '" y1="' + drag.y0 + '" x2="' + drag.x + '" y2="' + drag.y + '"/>');
    }
    h.push("</g>");
    svg.innerHTML = h.join("");
  }

  function paintLinks(h, v) {
    state.links.forEach(function (l) {
      var pr = state.rowOf.get(l.p), sr = state.rowOf.get(l.s);
      if (pr === undefined || sr === undefined) { return; }
      if (Math.max(pr, sr) < v.first || Math.min(pr, sr) > v.last) { return; }
      var p = state.byId.get(l.p), s = state.byId.get(l.s);
      if (p.s === null || s.s === null) { return; }
      var leavesFinish = l.type[0] === "F", entersFinish = l.type[1] === "F";
      var pe = barSpan(p), se = barSpan(s);
      var x1 = leavesFinish ? pe[1] : pe[0], x2 = entersFinish ? se[1] : se[0];
      var y1 = pr * ROW + ROW / 2, y2 = sr * ROW + ROW / 2;
      var points = arrow(x1, y1, leavesFinish, x2, y2, entersFinish);
      var crit = p.critical && s.critical ? " crit" : "";
      var chosen = l.id === state.selectedLink ? " sel" : "";
      var dir = entersFinish ? -4 : 4;
      h.push('<g data-link="' + l.id + '"><polyline class="link' + crit + chosen + '" points="' + points + '"/>' +
        '<polyline class="hit" points="' + points + '"><title>' + esc(label(p)) + " → " + esc(label(s)) + " (" + l.type + ")</title></polyline>" +
        '<polygon class="head' + crit + '" points="' + x2 + "," + y2 + " " + (x2 - dir) + "," + (y2 - 3.5) + " " + (x2 - dir) + "," + (y2 + 3.5) + '"/></g>');
    });
  }

  function diamond(cx, cy, r, cls, title) {
    return '<polygon class="' + cls + '" points="' + cx + "," + (cy - r) + " " + (cx + r) + "," + cy + " " + cx + "," +
      (cy + r) + " " + (cx - r) + "," + cy + '">' + (title || "") + "</polygon>";
  }

  function paintTask(h, t, i, withBaseline) {
    var y = i * ROW;
    var hover = state.hover === t.id || (state.drag && state.drag.task === t) ? " hover" : "";
    h.push('<g class="task' + hover + '" data-task="' + t.id + '">');
    if (withBaseline && t.bs !== null && t.bf !== null) {
      if (t.milestone || t.bf - t.bs < 1) {
        h.push(diamond(x(t.bs), y + 21, 4, "base"));
      } else {
        h.push('<rect class="base" x="' + x(t.bs) + '" y="' + (y + 19) + '" width="' + Math.max(x(t.bf) - x(t.bs), 1) + '" height="4"><title>Baseline ' +
          fmtDate(t.bs) + " – " + fmtDate(t.bf) + "</title></rect>");
      }
    }
    if (t.s === null || t.f === null) { h.push("</g>"); return; }
    var e = barSpan(t);
    var barTop = withBaseline ? y + 6 : y + 8, height = withBaseline ? 11 : 12;
    var title = "<title>" + esc(label(t)) + ": " + fmtDate(t.s) + " – " + fmtDate(t.f) + (t.critical ? " (critical)" : "") + "</title>";
    if (t.milestone) {
      h.push(diamond((e[0] + e[1]) / 2, barTop + height / 2, 7, "ms" + (t.critical ? " crit" : ""), title));
      h.push('<text class="label" x="' + (e[1] + 10) + '" y="' + (barTop + height - 1) + '">' + fmtDate(t.s) + "</text>");
    } else if (t.summary) {
      h.push('<rect class="sum" x="' + e[0] + '" y="' + (barTop + 2) + '" width="' + Math.max(e[1] - e[0], 1) + '" height="5">' + title + "</rect>");
      h.push(diamond(e[0], barTop + 7, 4, "sum") + diamond(e[1], barTop + 7, 4, "sum"));
    } else {
      h.push('<rect class="bar' + (t.critical ? " crit" : "") + '" x="' + e[0] + '" y="' + barTop + '" width="' + Math.max(e[1] - e[0], 2) +
        '" height="' + height + '" rx="2">' + title + "</rect>");
      if (t.pct > 0) {
        h.push('<rect class="done" x="' + e[0] + '" y="' + (barTop + height / 2 - 1.5) + '" width="' + (e[1] - e[0]) * t.pct / 100 + '" height="3"/>');
      }
      if (editable) {
        h.push('<rect class="grip" x="' + (e[1] - GRIP / 2) + '" y="' + barTop + '" width="' + GRIP + '" height="' + height + '" fill="transparent"/>');
      }
      if (state.drag && state.drag.task === t && state.drag.moved) {
        var o = ends(t);
        h.push('<rect class="bar ghost" x="' + o[0] + '" y="' + barTop + '" width="' + Math.max(o[1] - o[0], 2) + '" height="' + height + '"/>');
      }
    }
    if (editable && !t.summary) {
      h.push('<circle class="handle" data-end="start" cx="' + (e[0] - 9) + '" cy="' + (barTop + height / 2) + '" r="4"/>');
      h.push('<circle class="handle" data-end="finish" cx="' + (e[1] + 9) + '" cy="' + (barTop + height / 2) + '" r="4"/>');
    }
    h.push("</g>");
  }

  // -- pointer editing ----------------------------------------------------------------------

  function pointer(event) {
    var rect = body.getBoundingClientRect();
    return { x: event.clientX - rect.left + body.scrollLeft, y: event.clientY - rect.top + body.scrollTop };
  }
  function taskAtRow(py) { return state.rows[Math.floor(py / ROW)] || null; }

  // What is under the pointer: a link handle, the finish grip, a bar, or nothing.
  function hit(p, target) {
    var t = taskAtRow(p.y);
    if (!t || t.s === null) { return { task: t, zone: null }; }
    var e = ends(t);
    if (target && target.classList && target.classList.contains("handle")) {
      return { task: t, zone: "link", end: target.dataset.end };
    }
    if (!t.summary && !t.milestone && Math.abs(p.x - e[1]) <= GRIP) { return { task: t, zone: "resize" }; }
    if (p.x >= e[0] - 2 && p.x <= e[1] + 2) { return { task: t, zone: t.summary ? "select" : "move" }; }
    return { task: t, zone: null };
  }

  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    var linkGroup = event.target.closest("[data-link]");
    if (linkGroup) {
      selectLink(Number(linkGroup.dataset.link));
      return;
    }
    var p = pointer(event);
    var h = hit(p, event.target);
    if (!h.task) { return; }
    select(h.task.id);
    if (!editable || !h.zone || h.zone === "select") { return; }
    event.preventDefault();
    svg.setPointerCapture(event.pointerId);
    var e = ends(h.task);
    state.drag = {
      task: h.task, mode: h.zone, end: h.end, startX: p.x, dx: 0, moved: false,
      x0: h.end === "start" ? e[0] - 9 : e[1] + 9, y0: state.rowOf.get(h.task.id) * ROW + ROW / 2, x: p.x, y: p.y,
    };
    root.classList.add(h.zone === "link" ? "linking" : "dragging");
  });

  svg.addEventListener("pointermove", function (event) {
    var p = pointer(event);
    var d = state.drag;
    if (!d) {
      var under = taskAtRow(p.y);
      var id = under ? under.id : null;
      if (id !== state.hover) { state.hover = id; draw(); }
      return;
    }
    d.dx = p.x - d.startX;
    d.x = p.x;
    d.y = p.y;
    if (Math.abs(d.dx) > 3 || Math.abs(p.y - d.y0) > 6) { d.moved = true; }
    if (d.mode !== "link") {
      d.dx = Math.round(d.dx / state.ppd) * state.ppd; // whole days
    }
    draw();
  });

  function endDrag(event) {
    var d = state.drag;
    if (!d) { return; }
    state.drag = null;
    root.classList.remove("dragging", "linking");
    if (!d.moved) { draw(); return; }
    var days = Math.round(d.dx / state.ppd);
    if (d.mode === "move" && days !== 0) {
      moveTask(d.task, days);
    } else if (d.mode === "resize" && days !== 0) {
      var finish = Math.round(minuteAt(x(d.task.f) + d.dx) / DAY) * DAY;
      send("tasks/" + d.task.id + "/resize/", { finish: Math.max(finish, d.task.s + 60), version: d.task.v },
        "Changed the duration of " + label(d.task));
    } else if (d.mode === "link" && event) {
      var p = pointer(event);
      var target = taskAtRow(p.y);
      var te = target && target.s !== null ? ends(target) : null;
      if (te && p.x >= te[0] - 18 && p.x <= te[1] + 18) {
        var toEnd = event.target.dataset && event.target.dataset.end ? event.target.dataset.end
          : (p.x < (te[0] + te[1]) / 2 ? "start" : "finish");
        var type = (d.end === "finish" ? "F" : "S") + (toEnd === "start" ? "S" : "F");
        send("links/", { predecessor: d.task.id, successor: target.id, type: type },
          "Linked " + label(d.task) + " to " + label(target) + " (" + type + ")");
      }
    }
    draw();
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", function () { state.drag = null; root.classList.remove("dragging", "linking"); draw(); });
  svg.addEventListener("pointerleave", function () { if (!state.drag && state.hover !== null) { state.hover = null; draw(); } });

  function moveTask(t, days) {
    send("tasks/" + t.id + "/move/", { start: t.s + days * DAY, version: t.v },
      "Moved " + label(t) + " " + Math.abs(days) + (Math.abs(days) === 1 ? " day " : " days ") +
      (days > 0 ? "later" : "earlier"));
  }
  function resizeTask(t, days) {
    var finish = Math.round((t.f + days * DAY) / DAY) * DAY;
    if (days < 0 && finish <= t.s) { return; }
    send("tasks/" + t.id + "/resize/", { finish: finish, version: t.v }, "Changed the duration of " + label(t));
  }

  // -- server round trips -------------------------------------------------------------------

  var busy = false;
  function send(path, payload, done) {
    if (busy) { return; }
    busy = true;
    clearError();
    root.setAttribute("aria-busy", "true");
    fetch(root.dataset.base + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(payload),
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var parsed = type.indexOf("json") >= 0 ? response.json() : Promise.resolve({});
        return parsed.then(function (answer) { return { response: response, answer: answer }; });
      })
      .then(function (r) {
        if (r.response.ok) {
          apply(r.answer);
          say(done + "; " + r.answer.tasks.length + " task" + (r.answer.tasks.length === 1 ? "" : "s") + " rescheduled.");
          return;
        }
        if (r.response.status === 403) {
          showError("You can view this plan but not change it.");
        } else if (r.response.status === 409) {
          showError(r.answer.detail + " The chart has been reloaded.");
          load();
        } else {
          showError(r.answer.detail || "The change was refused (" + r.response.status + ").");
        }
        draw(); // nothing was changed: the bars go back where they were
      })
      .catch(function () { showError("The server could not be reached; nothing was changed."); draw(); })
      .then(function () { busy = false; root.setAttribute("aria-busy", "false"); });
  }

  // Update only what moved: the changed tasks' fields, new or removed links and tasks.
  function apply(answer) {
    performance.mark("gantt-apply");
    state.marks.applied = true;
    var reshaped = false;
    answer.tasks.forEach(function (fresh) {
      var t = state.byId.get(fresh.id);
      if (!t) { reshaped = true; return; }
      if (t.parent !== fresh.parent || t.level !== fresh.level) { reshaped = true; }
      Object.keys(fresh).forEach(function (key) { if (key !== "bs" && key !== "bf") { t[key] = fresh[key]; } });
    });
    if (answer.removed_ids && answer.removed_ids.length) {
      var gone = new Set(answer.removed_ids);
      state.tasks = state.tasks.filter(function (t) { return !gone.has(t.id); });
      gone.forEach(function (id) { state.byId.delete(id); });
      reshaped = true;
    }
    (answer.links || []).forEach(function (l) { state.links.push(l); state.linkById.set(l.id, l); });
    var removedLinks = new Set(answer.removed_links || []);
    if (removedLinks.size) {
      state.links = state.links.filter(function (l) { return !removedLinks.has(l.id); });
      removedLinks.forEach(function (id) { state.linkById.delete(id); });
      if (removedLinks.has(state.selectedLink)) { selectLink(null); }
    }
    if (reshaped) { structure(); }
    performance.measure("gantt-update", "gantt-apply");
    draw();
  }

  // -- selection, keyboard, toolbar ---------------------------------------------------------

  function select(id, reveal) {
    state.selected = id;
    var row = state.rowOf.get(id);
    if (row !== undefined) { state.active = row; }
    var t = state.byId.get(id);
    if (reveal && t && t.s !== null) {
      var e = ends(t);
      if (e[0] < body.scrollLeft || e[1] > body.scrollLeft + body.clientWidth) {
        body.scrollLeft = Math.max(e[0] - body.clientWidth / 4, 0);
      }
    }
    draw();
  }
  function selectLink(id) {
    state.selectedLink = id;
    if (unlinkButton) { unlinkButton.disabled = id === null; }
    draw();
  }
  function scrollToRow(row) {
    var top = row * ROW;
    if (top < body.scrollTop) { body.scrollTop = top; }
    else if (top + ROW > body.scrollTop + body.clientHeight) { body.scrollTop = top + ROW - body.clientHeight; }
  }
  function toggle(id, open) {
    if (!state.hasChildren.has(id)) { return false; }
    if (open === undefined) { open = state.collapsed.has(id); }
    if (open) { state.collapsed.delete(id); } else { state.collapsed.add(id); }
    structure();
    draw();
    return true;
  }

  // Rows are repainted on every frame that changes (scroll, hover, an answer from the server), so
  // a press acts on pointerdown: a click whose row was repainted between down and up is lost.
  function gridPress(event) {
    var button = event.target.closest("[data-toggle]");
    if (button) { toggle(Number(button.dataset.toggle)); tree.focus(); return; }
    var row = event.target.closest("[data-id]");
    if (row) { select(Number(row.dataset.id), true); tree.focus(); }
  }
  grid.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    event.preventDefault();
    gridPress(event);
  });
  grid.addEventListener("click", function (event) {
    if (event.detail === 0) { gridPress(event); } // a click from the keyboard or assistive technology
  });
  grid.addEventListener("wheel", function (event) {
    body.scrollTop += event.deltaY;
    event.preventDefault();
  }, { passive: false });

  tree.addEventListener("keydown", function (event) {
    var t = state.rows[state.active];
    if (!t) { return; }
    var handled = true;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      state.active = Math.min(Math.max(state.active + step, 0), state.rows.length - 1);
      select(state.rows[state.active].id, true);
      scrollToRow(state.active);
    } else if (event.key === "Home" || event.key === "End") {
      state.active = event.key === "Home" ? 0 : state.rows.length - 1;
      select(state.rows[state.active].id, true);
      scrollToRow(state.active);
    } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && event.shiftKey) {
      if (editable && !t.summary && t.s !== null) { moveTask(t, event.key === "ArrowRight" ? 1 : -1); }
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      toggle(t.id, event.key === "ArrowRight");
    } else if ((event.key === "+" || event.key === "-") && editable && !t.summary && !t.milestone && t.s !== null) {
      resizeTask(t, event.key === "+" ? 1 : -1);
    } else {
      handled = false;
    }
    if (handled) { event.preventDefault(); draw(); }
  });

  document.addEventListener("keydown", function (event) {
    if ((event.key === "Delete" || event.key === "Backspace") && state.selectedLink !== null && editable &&
        !event.target.closest("input, textarea, select")) {
      unlinkSelected();
      event.preventDefault();
    }
  });
  function unlinkSelected() {
    var l = state.linkById.get(state.selectedLink);
    if (!l) { return; }
    var p = state.byId.get(l.p), s = state.byId.get(l.s);
    send("links/" + l.id + "/delete/", { version: l.v }, "Removed the link from " + label(p) + " to " + label(s));
  }

  document.querySelector(".gantt-toolbar").addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !state.project) { return; }
    if (button.dataset.zoom) {
      state.zoom = button.dataset.zoom;
      fillBaselines(baselinesOf(), state.baselineShown);
      rescale(false);
    } else if (button.dataset.action === "expand" || button.dataset.action === "collapse") {
      state.collapsed = button.dataset.action === "expand" ? new Set() : new Set(state.hasChildren);
      structure();
      draw();
    } else if (button.dataset.action === "today") {
      body.scrollLeft = Math.max(x(state.project.today) - body.clientWidth / 3, 0);
    } else if (button.dataset.action === "unlink") {
      unlinkSelected();
    }
  });
  function baselinesOf() {
    return Array.prototype.slice.call(baselineSelect.options, 1).map(function (o) {
      return { id: Number(o.value), name: o.textContent };
    });
  }
  baselineSelect.addEventListener("change", function () {
    state.baseline = baselineSelect.value || "none";
    load();
  });

  body.addEventListener("scroll", draw, { passive: true });
  window.addEventListener("resize", draw);
  load();
})();
