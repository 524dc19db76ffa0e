/* nuem static explorers (nuemcore/explorer.py): no kernel needed.
 *
 * Every <div class="nuem-explorer"> holds a JSON spec (script.nuem-explorer-spec) with the
 * controls, their grids and, for every grid point, the traces, readouts and title precomputed by
 * nuemcore at build time.  This script draws one range input (numbers) or select (strings) per
 * control, a Plotly figure and the readouts; moving a control swaps in that grid point's data
 * with Plotly.react (no recomputation).  Plotly is plotly.js-basic-dist-min, served from
 * _offline/ and loaded before this file by scripts/nuem_offline.py.
 * The browser tests read gd.data and the readouts' data-value attributes.
 */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fmt(v) {
    if (v === null || v === undefined) return "n/a";
    const s = Number(v).toPrecision(4);
    return s.indexOf("e") >= 0 ? s.replace(/\.?0+e/, "e") : String(Number(s));
  }

  function flatIndex(spec, idx) {
    let k = 0;
    spec.controls.forEach(function (c, i) { k = k * c.values.length + idx[i]; });
    return k;
  }

  function setup(root) {
    const spec = JSON.parse(root.querySelector("script.nuem-explorer-spec").textContent);
    const idx = spec.controls.map(function (c) { return c.index; });
    const form = el("div", { class: "nuem-explorer-controls" });
    const inputs = [];
    spec.controls.forEach(function (c, i) {
      const row = el("label", { class: "nuem-explorer-control",
                                style: "display:flex;align-items:center;gap:0.8em;margin:0.2em 0" });
      row.appendChild(el("span", { class: "nuem-explorer-label", style: "min-width:11em" }, c.label));
      const numeric = c.values.every(function (v) { return typeof v === "number"; });
      let input;
      if (numeric) {
        input = el("input", { type: "range", min: 0, max: c.values.length - 1, step: 1,
                              value: c.index, "data-control": c.name,
                              "aria-label": c.label, style: "width:18em" });
      } else {
        input = el("select", { "data-control": c.name, "aria-label": c.label });
        c.text.forEach(function (t, j) { input.appendChild(el("option", { value: j }, t)); });
        input.value = String(c.index);
      }
      const shown = el("output", { class: "nuem-explorer-value",
                                   style: "min-width:5em;font-variant-numeric:tabular-nums" },
                       c.text[c.index]);
      input.addEventListener("input", function () {
        idx[i] = parseInt(input.value, 10);
        shown.textContent = c.text[idx[i]];
        draw();
      });
      row.appendChild(input);
      row.appendChild(shown);
      form.appendChild(row);
      inputs.push(input);
    });
    const plot = el("div", { class: "nuem-explorer-plot" });
    const readouts = el("ul", { class: "nuem-explorer-readouts" });
    const items = spec.readouts.map(function (r) {
      const li = el("li");
      li.appendChild(el("span", {}, r + ": "));
      const v = el("span", { class: "nuem-explorer-readout", "data-readout": r });
      li.appendChild(v);
      readouts.appendChild(li);
      return v;
    });
    const note = root.querySelector(".nuem-explorer-note");
    root.insertBefore(form, note);
    root.insertBefore(plot, note);
    root.insertBefore(readouts, note);

    const layout = {
      height: spec.height, margin: { l: 80, r: 20, t: 50, b: 55 },
      xaxis: { title: { text: spec.xlabel }, type: spec.xlog ? "log" : "linear",
               exponentformat: "power" },
      yaxis: { title: { text: spec.ylabel }, type: spec.ylog ? "log" : "linear",
               exponentformat: "power" },
      legend: { x: 1, xanchor: "right", y: 1 },
    };
    if (spec.yrange) {
      layout.yaxis.range = spec.ylog ? spec.yrange.map(Math.log10) : spec.yrange;
    }
    const config = { responsive: true, displaylogo: false };

    function draw() {
      const p = spec.points[flatIndex(spec, idx)];
      const data = spec.traces.map(function (name, j) {
        return { type: "scatter", mode: "lines", name: name, x: spec.xs[p.x[j]], y: p.y[j] };
      });
      layout.title = { text: p.t, font: { size: 14 } };
      Plotly.react(plot, data, layout, config);
      items.forEach(function (v, j) {
        v.textContent = fmt(p.r[j]);
        v.setAttribute("data-value", p.r[j] === null ? "" : String(p.r[j]));
      });
      root.setAttribute("data-index", idx.join(","));
    }
    root.nuemDraw = draw;
    draw();
    root.setAttribute("data-ready", "1");
  }

  function init() {
    if (typeof Plotly === "undefined") {
      console.error("nuem-explorer: Plotly is not loaded");
      return;
    }
    document.querySelectorAll("div.nuem-explorer").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
