// Shared helpers for the dashboard pages: API calls (with the API key, if one is set),
// DOM building (text only: model output is never parsed as HTML), formatting, SVG charts,
// and server-sent events read with fetch (EventSource cannot send an Authorization header).
"use strict";

const Lyceum = (() => {
  const KEY = "lyceum.apiKey";

  function headers() {
    const key = localStorage.getItem(KEY);
    return key ? { Authorization: "Bearer " + key } : {};
  }

  function showError(message) {
    const banner = document.getElementById("error");
    if (!banner) return;
    banner.textContent = message;
    banner.style.display = message ? "block" : "none";
  }

  async function api(path, options = {}) {
    const init = { ...options, headers: { ...headers(), ...(options.headers || {}) } };
    if (options.json !== undefined) {
      init.body = JSON.stringify(options.json);
      init.headers["Content-Type"] = "application/json";
      init.method = init.method || "POST";
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      showError("This server needs an API key: use 'Set API key' at the top right.");
      throw new Error("unauthorized");
    }
    const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const err = body && body.error ? body.error : { message: String(body) };
      const message = err.message + (err.hint ? " — " + err.hint : "");
      showError(message);
      throw new Error(message);
    }
    return body;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "style") node.style.cssText = v;
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svgEl(tag, attrs = {}, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const fmt = {
    int: (n) => (n ?? 0).toLocaleString("en-US"),
    usd: (n) => "$" + (n ?? 0).toFixed(n >= 1 ? 2 : 4),
    pct: (x) => (x === null || x === undefined ? "–" : (x * 100).toFixed(1) + "%"),
    s: (x) => (x === null || x === undefined ? "–" : x < 1 ? (x * 1000).toFixed(0) + " ms" : x.toFixed(2) + " s"),
    time: (t) => new Date(t).toLocaleString("en-GB", { hour12: false }),
    short: (t) => new Date(t).toLocaleString("en-GB", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false }),
  };

  function chip(text, cls) {
    return el("span", { class: "chip " + (cls || "status-" + text) }, text);
  }

  function card(label, value, sub) {
    return el("div", { class: "card" }, el("div", { class: "label" }, label), el("div", { class: "value" }, value), sub ? el("div", { class: "sub" }, sub) : null);
  }

  const PALETTE = ["#3358d4", "#1f9d55", "#d64545", "#c98a0b", "#7b4bd1", "#11808f"];

  // A line chart of one or more series over shared x labels. series: [{name, values}]
  function lineChart(series, labels, { yFormat = (v) => v, height = 180 } = {}) {
    const W = 600, H = height, L = 48, R = 8, T = 8, B = 22;
    const svg = svgEl("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none" });
    const all = series.flatMap((s) => s.values);
    const max = Math.max(1e-9, ...all);
    const n = Math.max(1, labels.length);
    const x = (i) => L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
    const y = (v) => T + (H - T - B) * (1 - v / max);
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      svg.append(svgEl("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e2e5eb" }));
      svg.append(svgEl("text", { x: L - 4, y: y(v) + 3, "text-anchor": "end" }, yFormat(v)));
    }
    const step = Math.max(1, Math.ceil(n / 6));
    labels.forEach((lab, i) => {
      const anchor = n > 1 && i === n - 1 ? "end" : i === 0 && n > 1 ? "start" : "middle";
      if (i % step === 0 || i === n - 1) svg.append(svgEl("text", { x: x(i), y: H - 6, "text-anchor": anchor }, lab));
    });
    series.forEach((s, si) => {
      const color = s.color || PALETTE[si % PALETTE.length];
      const pts = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
      svg.append(svgEl("polyline", { points: pts, fill: "none", stroke: color, "stroke-width": 2 }));
      s.values.forEach((v, i) => svg.append(svgEl("circle", { cx: x(i), cy: y(v), r: 2.5, fill: color })));
    });
    return svg;
  }

  // A histogram: bins [{label, counts: [per series]}], stacked side by side per series.
  function barChart(bins, seriesNames, { height = 180 } = {}) {
    const W = 600, H = height, L = 36, R = 8, T = 8, B = 22;
    const svg = svgEl("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none" });
    const max = Math.max(1, ...bins.flatMap((b) => b.counts));
    const bw = (W - L - R) / Math.max(1, bins.length);
    const y = (v) => T + (H - T - B) * (1 - v / max);
    for (let k = 0; k <= 4; k++) {
      const v = Math.round((max * k) / 4);
      svg.append(svgEl("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e2e5eb" }));
      svg.append(svgEl("text", { x: L - 4, y: y(v) + 3, "text-anchor": "end" }, v));
    }
    const m = Math.max(1, seriesNames.length);
    bins.forEach((b, i) => {
      b.counts.forEach((c, si) => {
        const w = (bw - 4) / m;
        const x0 = L + i * bw + 2 + si * w;
        svg.append(svgEl("rect", { x: x0, y: y(c), width: Math.max(1, w - 1), height: H - B - y(c), fill: PALETTE[si % PALETTE.length] }));
      });
      if (i % Math.max(1, Math.ceil(bins.length / 8)) === 0)
        svg.append(svgEl("text", { x: L + i * bw + bw / 2, y: H - 6, "text-anchor": "middle" }, b.label));
    });
    return svg;
  }

  function legend(names) {
    return el("div", { class: "legend" }, names.map((n, i) => el("span", {}, el("i", { style: `background:${PALETTE[i % PALETTE.length]}` }), n)));
  }

  // Server-sent events over fetch; calls onEvent(parsed data) for each "progress" event.
  async function streamEvents(path, onEvent, signal) {
    const response = await fetch(path, { headers: headers(), signal });
    if (!response.ok || !response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message", data = "";
        for (const line of frame.split("\n")) {
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (event === "progress" && data) onEvent(JSON.parse(data));
      }
    }
  }

  async function download(path, filename) {
    const response = await fetch(path, { headers: headers() });
    if (!response.ok) return showError("download failed: " + response.status);
    const blob = await response.blob();
    saveBlob(blob, filename);
  }

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function nav(active) {
    const pages = [["/", "Overview"], ["/experiments", "Experiments"], ["/research", "Research"], ["/traces", "Traces"]];
    const keyLabel = localStorage.getItem(KEY) ? "API key set" : "no API key";
    const header = el("header", { class: "top" },
      el("span", { class: "brand" }, "Lyceum"),
      el("nav", {}, pages.map(([href, label]) => el("a", { href, class: href === active ? "active" : "" }, label))),
      el("span", { class: "keybox" }, keyLabel + " ",
        el("button", { class: "secondary", onclick: () => {
          const key = prompt("API key (leave empty to clear):", "");
          if (key === null) return;
          if (key) localStorage.setItem(KEY, key.trim()); else localStorage.removeItem(KEY);
          location.reload();
        } }, "Set API key")));
    document.body.prepend(header);
  }

  function params() {
    return new URLSearchParams(location.search);
  }

  function clear(node) {
    while (node.firstChild) node.firstChild.remove();
    return node;
  }

  return { api, el, svgEl, fmt, chip, card, lineChart, barChart, legend, streamEvents, download, saveBlob, nav, params, clear, showError, PALETTE };
})();
