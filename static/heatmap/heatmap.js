// Attention Lab's heatmap: every cell of every panel drawn on one <canvas>, hover and click without a DOM
// node or a Vega mark per cell. ui/heatmap/__init__.py builds the data and loads this file; its docstring says why.
//
// Safety: labels and titles come from user text (the sentence box). They reach the page only through
// canvas fillText and the tooltip's textContent, never innerHTML.

const SCHEMES = {
  // Vega's "blues" and "blueOrange" stops (what the Altair export uses), interpolated linearly in RGB as Vega does.
  weights: "cfe1f2bed8eca8cee58fc1de74b2d75ba3cf4592c63181bd206fb2125ca40a4a90",
  signed: "134b852f78b35da2cb9dcae1d2e5eff2f0ebfce0bafbbf74e8932fc5690d994a07",
};
const MASKED = "#c8c8c8";
const SUMS = "#eeeeee";
const LUTS = {};

function lut(kind) {
  if (LUTS[kind]) return LUTS[kind];
  const hex = SCHEMES[kind];
  const stops = [];
  for (let i = 0; i < hex.length; i += 6) {
    stops.push([0, 2, 4].map((k) => parseInt(hex.slice(i + k, i + k + 2), 16)));
  }
  const colours = [];
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (stops.length - 1);
    const k = Math.min(Math.floor(t), stops.length - 2);
    const f = t - k;
    const c = [0, 1, 2].map((j) => Math.round(stops[k][j] + (stops[k + 1][j] - stops[k][j]) * f));
    colours.push(`rgb(${c[0]},${c[1]},${c[2]})`);
  }
  LUTS[kind] = colours;
  return colours;
}

// The element's bytes (ui/charts/heatmaps.py encode_payload): a uint32 header length, the header as JSON (panel
// arrays as [offset, length] into the body), then the arrays' raw little-endian bytes.
function unpack(bytes) {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const spec = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
  const body = 4 + headerLength;
  // slice() copies into a buffer of its own, aligned for the typed array whatever the message's offset.
  const array = (place, Type) => (place ? new Type(bytes.slice(body + place[0], body + place[0] + place[1]).buffer) : null);
  spec.panels = spec.panels.map((panel) => {
    const Float = panel.dtype === "<f4" ? Float32Array : Float64Array;
    return {
      title: panel.title,
      data: array(panel.values, Float),
      maskedCells: array(panel.masked, Uint8Array),
      extra: array(panel.extra, Float),
    };
  });
  return spec;
}

// 0..1 position on the colour scale.
function position(value, spec) {
  const t = spec.kind === "weights" ? value / (spec.weightsTop || 1) : (value / spec.extent + 1) / 2;
  return Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
}

function formatValue(value, decimals) {
  const rounded = Math.round(value * 10 ** decimals) / 10 ** decimals + 0;
  return rounded.toFixed(decimals).replace("-", "\u2212");
}

// CJK characters: a copy of core/tokens.py's CJK_RANGES, the app's one definition (tests/core/test_tokens.py
// checks that the two agree).
const CJK = /[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;

function layout(ctx, spec, available) {
  const s = spec.scale;
  const font = spec.font;
  const fonts = {
    axis: `${Math.round(12 * s)}px ${font}`,
    title: `${Math.round(14 * s)}px ${font}`,
    legend: `${Math.round(11 * s)}px ${font}`,
  };
  const nRows = spec.rows.length;
  const labels = spec.axisLabels !== false;
  const nCols = spec.cols.length + (spec.sums ? 1 : 0);
  const limit = 80 * s;
  // One chart grows into its column's spare width (up to 1.5×), so cells and their numbers are as large as
  // the page allows; small multiples keep their size and wrap instead.
  let size = spec.size;
  let cw, ch, labelFont, rowStep, colStep, rowLabelW;
  for (let pass = 0; pass < 2; pass++) {
    cw = Math.min(48 * s, size / Math.max(nCols, 1));
    ch = Math.min(48 * s, size / Math.max(nRows, 1), Math.max(cw * 1.5, 28 * s));
    labelFont = Math.round(Math.min(12 * s, Math.max(8, Math.min(cw, ch) * 0.7)));
    // Where cells are smaller than the text, every rowStep-th / colStep-th label is written.
    rowStep = Math.max(1, Math.ceil((labelFont * 1.05) / ch));
    colStep = Math.max(1, Math.ceil((labelFont * 1.05) / cw));
    ctx.font = `${labelFont}px ${font}`;
    rowLabelW = labels ? Math.min(limit, Math.max(0, ...spec.rows.map((l) => ctx.measureText(l).width))) + 6 : 0;
    // Grown only while cells are under ~30 px: bigger cells would push the page down for nothing.
    const useful = Math.max(spec.size, 30 * s * Math.max(nCols, nRows));
    if (spec.panels.length === 1) {
      size = Math.max(spec.size, Math.min(spec.size * 1.5, useful, available - rowLabelW - 4));
    }
  }
  const showRowLabels = labels;
  const showColLabels = labels;
  const colLabels = spec.sums ? [...spec.cols, spec.sumLabel] : spec.cols;
  // Short labels are written upright: horizontally when they fit the cell, else one character per line if
  // they hold Chinese (so characters do not lie on their side), else rotated.
  let colMode = "none";
  let colLabelH = 0;
  if (showColLabels) {
    const widest = Math.max(0, ...colLabels.map((l) => ctx.measureText(l).width));
    if (widest <= cw * colStep - 2) {
      colMode = "horizontal";
      colLabelH = labelFont * 1.4;
    } else if (colLabels.some((l) => CJK.test(l)) && Math.max(...colLabels.map((l) => [...l].length)) <= 6) {
      colMode = "stacked";
      colLabelH = Math.max(...colLabels.map((l) => [...l.replace(/ /g, "")].length)) * labelFont * 1.1 + 4;
    } else {
      colMode = "rotated";
      colLabelH = Math.min(limit, widest) + 6;
    }
  }
  const panelW = nCols * cw;
  const panelH = nRows * ch;
  const panelTitleH = spec.panels.length > 1 ? Math.round(12 * s) * 1.5 : 0;
  const gap = spec.panels.length > 1 ? (labels ? 14 : 6) * s : 0;
  // A fixed number per row (a layer × head grid) or as many as the column holds.
  const perRow = spec.perRow
    ? Math.min(spec.perRow, spec.panels.length)
    : Math.max(1, Math.min(spec.panels.length, Math.floor((available - rowLabelW + gap) / (panelW + gap)) || 1));
  ctx.font = fonts.title;
  const titleLines = spec.title ? wrap(ctx, spec.title, Math.max(available, 100)) : [];
  const titleW = Math.max(0, ...titleLines.map((l) => ctx.measureText(l).width));
  const titleH = titleLines.length * Math.round(14 * s) * 1.35 + (titleLines.length ? 4 * s : 0);
  const xTitleH = spec.xTitle && showColLabels ? Math.round(12 * s) * 1.6 : 0;
  const blockH = panelTitleH + panelH + colLabelH + xTitleH;
  const gridRows = Math.ceil(spec.panels.length / perRow);
  const legendTop = titleH + gridRows * blockH + (gridRows - 1) * gap + 8 * s;
  const legendH = Math.round(11 * s) * 1.4 + 10 * s + Math.round(11 * s) * 1.4 + 4;
  const width = Math.max(rowLabelW + perRow * panelW + (perRow - 1) * gap, 170 * s + 10, titleW);
  return {
    fonts, labelFont, cw, ch, nRows, nCols, rowLabelW, colLabels, colMode, colLabelH, panelW, panelH,
    panelTitleH, gap, perRow, titleH, titleLines, xTitleH, blockH, legendTop, legendH, showRowLabels,
    rowStep, colStep,
    width: Math.ceil(width + 2),
    height: Math.ceil(legendTop + legendH + 2),
  };
}

function panelOrigin(L, index) {
  const col = index % L.perRow;
  const row = Math.floor(index / L.perRow);
  return {
    x: L.rowLabelW + col * (L.panelW + L.gap),
    y: L.titleH + row * (L.blockH + L.gap) + L.panelTitleH,
  };
}

function draw(canvas, spec, L, ink) {
  const dpr = window.devicePixelRatio || 1;
  // Resizing reallocates the bitmap: only when the size changes (a slider step usually keeps it).
  if (canvas.width !== Math.round(L.width * dpr)) canvas.width = Math.round(L.width * dpr);
  if (canvas.height !== Math.round(L.height * dpr)) canvas.height = Math.round(L.height * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, L.width, L.height);
  const colours = lut(spec.kind);
  const gapPx = Math.min(L.cw, L.ch) >= 6 ? 1 : 0;
  const s = spec.scale;
  ctx.textBaseline = "middle";
  ctx.fillStyle = ink;
  ctx.font = L.fonts.title;
  ctx.textAlign = "left";
  const lineH = Math.round(14 * s) * 1.35;
  L.titleLines.forEach((line, n) => ctx.fillText(line, 0, lineH * (n + 0.5)));
  spec.panels.forEach((panel, p) => {
    const o = panelOrigin(L, p);
    const values = panel.data;
    const masked = panel.maskedCells;
    const nc = spec.cols.length;
    const x = (j) => Math.round(o.x + j * L.cw);
    const y = (i) => Math.round(o.y + i * L.ch);
    for (let i = 0; i < L.nRows; i++) {
      for (let j = 0; j < nc; j++) {
        const k = i * nc + j;
        ctx.fillStyle = masked && masked[k] ? MASKED : colours[Math.round(position(values[k], spec) * 255)];
        ctx.fillRect(x(j), y(i), x(j + 1) - x(j) - gapPx, y(i + 1) - y(i) - gapPx);
      }
      if (spec.sums) {
        ctx.fillStyle = SUMS;
        ctx.fillRect(x(nc), y(i), x(nc + 1) - x(nc) - gapPx, y(i + 1) - y(i) - gapPx);
      }
    }
    if (spec.showValues) {
      const size = Math.max(7, Math.min(spec.valueFont, Math.floor(L.ch * 0.6)));
      for (let i = 0; i < L.nRows; i++) {
        for (let j = 0; j < nc; j++) {
          const k = i * nc + j;
          const isMasked = masked && masked[k];
          const text = isMasked ? spec.maskedText : formatValue(values[k], spec.decimals);
          const dark =
            !isMasked &&
            (spec.kind === "weights" ? values[k] > 0.5 : Math.abs(values[k]) > 0.6 * spec.extent);
          fitText(ctx, text, (x(j) + x(j + 1) - gapPx) / 2, (y(i) + y(i + 1) - gapPx) / 2, L.cw - 4, size,
            spec.font, dark ? "white" : "black", "");
        }
        if (spec.sums) {
          fitText(ctx, formatValue(spec.sums[i], 2), (x(nc) + x(nc + 1) - gapPx) / 2,
            (y(i) + y(i + 1) - gapPx) / 2, L.cw - 4, size, spec.font, "black", "bold ");
        }
      }
    }
    if (spec.selected && p === (spec.selected[2] || 0)) {
      const [si, sj] = spec.selected;
      for (const [colour, width] of [["white", 5], ["black", 2.5]]) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = width;
        ctx.strokeRect(x(sj), y(si), x(sj + 1) - x(sj) - gapPx, y(si + 1) - y(si) - gapPx);
      }
    }
    ctx.fillStyle = ink;
    if (L.panelTitleH) {
      ctx.font = L.fonts.axis;
      ctx.textAlign = "left";
      ctx.fillText(panel.title, o.x, o.y - L.panelTitleH / 2);
    }
    ctx.font = `${L.labelFont}px ${spec.font}`;
    if (L.showRowLabels && (p % L.perRow === 0 || spec.rowLabelsEveryPanel)) {
      ctx.textAlign = "right";
      spec.rows.forEach((label, i) => {
        if (i % L.rowStep) return;
        ctx.fillText(clip(ctx, label, 80 * s), o.x - 4, (y(i) + y(i + 1) - gapPx) / 2);
      });
    }
    if (spec.selectedPanel === p) {
      for (const [colour, width] of [["white", 5], ["black", 2.5]]) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = width;
        ctx.strokeRect(o.x - 1.5, o.y - 1.5, L.panelW + 3 - gapPx, L.panelH + 3 - gapPx);
      }
      ctx.fillStyle = ink;
    }
    const top = o.y + L.panelH + 3;
    if (L.colMode !== "none") L.colLabels.forEach((label, j) => {
      if (j % L.colStep && j !== spec.cols.length) return;
      const cx = (x(j) + x(j + 1) - gapPx) / 2;
      if (L.colMode === "horizontal") {
        ctx.textAlign = "center";
        ctx.fillText(label, cx, top + L.labelFont * 0.7);
      } else if (L.colMode === "stacked") {
        ctx.textAlign = "center";
        [...label.replace(/ /g, "")].forEach((ch, n) => ctx.fillText(ch, cx, top + L.labelFont * (0.6 + n * 1.1)));
      } else if (L.colMode === "rotated") {
        ctx.save();
        ctx.translate(cx, top);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = "right";
        ctx.fillText(clip(ctx, label, 80 * s), 0, 0);
        ctx.restore();
      }
    });
    if (L.xTitleH) {
      ctx.font = L.fonts.axis;
      ctx.textAlign = "center";
      ctx.fillText(spec.xTitle, o.x + (spec.cols.length * L.cw) / 2, top + L.colLabelH + L.xTitleH / 2);
    }
  });
  drawLegend(ctx, spec, L, ink, colours);
}

// Words (or, for Chinese, characters) on as many lines as `width` needs.
function wrap(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return [text];
  const parts = text.includes(" ") ? text.split(/(?<= )/) : [...text];
  const lines = [];
  let line = "";
  for (const part of parts) {
    if (line && ctx.measureText(line + part).width > width) {
      lines.push(line.trimEnd());
      line = part.trimStart();
    } else {
      line += part;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function clip(ctx, text, limit) {
  if (ctx.measureText(text).width <= limit) return text;
  const chars = [...text];
  while (chars.length > 1 && ctx.measureText(chars.join("") + "…").width > limit) chars.pop();
  return chars.join("") + "…";
}

// A cell's number at the largest size up to `size` that fits `room`, so neighbours never run together.
const WIDTHS = new Map(); // text widths by font and text: cell numbers repeat across cells and redraws

function textWidth(ctx, text) {
  const key = ctx.font + "|" + text;
  let width = WIDTHS.get(key);
  if (width === undefined) {
    if (WIDTHS.size > 20000) WIDTHS.clear();
    width = ctx.measureText(text).width;
    WIDTHS.set(key, width);
  }
  return width;
}

function fitText(ctx, text, cx, cy, room, size, font, colour, weight) {
  const px = size;
  const wanted = `${weight}${px}px ${font}`;
  if (ctx.font !== wanted) ctx.font = wanted;
  const width = textWidth(ctx, text);
  if (width > room) ctx.font = `${weight}${Math.max(6, Math.floor((px * room) / width))}px ${font}`;
  ctx.fillStyle = colour;
  ctx.textAlign = "center";
  ctx.fillText(text, cx, cy);
}

function drawLegend(ctx, spec, L, ink, colours) {
  const s = spec.scale;
  const top = L.legendTop;
  const length = Math.round(160 * s);
  const barH = 10 * s;
  const labelH = Math.round(11 * s) * 1.4;
  const left = L.rowLabelW;
  ctx.fillStyle = ink;
  ctx.font = L.fonts.legend;
  ctx.textAlign = "left";
  ctx.fillText(spec.legendTitle, left, top + labelH / 2);
  for (let i = 0; i < length; i++) {
    ctx.fillStyle = colours[Math.round((i / (length - 1)) * 255)];
    ctx.fillRect(left + i, top + labelH, 1.5, barH);
  }
  const top1 = spec.weightsTop || 1;
  const ends = spec.kind === "weights" ? [0, top1 / 2, top1] : [-spec.extent, 0, spec.extent];
  ctx.fillStyle = ink;
  ends.forEach((value, n) => {
    ctx.textAlign = ["left", "center", "right"][n];
    let text = spec.kind === "weights" ? String(+value.toFixed(3)) : formatValue(value, 2);
    if (spec.kind === "weights" && n === 2 && top1 < 1) text = `\u2265 ${text}`; // darker = this or more
    ctx.fillText(text, left + (n * length) / 2, top + labelH + barH + labelH / 2 + 2);
  });
  if (spec.maskedLegend) {
    const x = left + length + 16 * s;
    ctx.fillStyle = MASKED;
    ctx.fillRect(x, top + labelH, barH, barH);
    ctx.fillStyle = ink;
    ctx.textAlign = "left";
    ctx.fillText(spec.maskedLegend, x + barH + 4, top + labelH + barH / 2);
  }
}

function hit(L, spec, px, py) {
  for (let p = 0; p < spec.panels.length; p++) {
    const o = panelOrigin(L, p);
    const j = Math.floor((px - o.x) / L.cw);
    const i = Math.floor((py - o.y) / L.ch);
    if (px >= o.x && py >= o.y && i < L.nRows && j < L.nCols) return { p, i, j };
  }
  return null;
}

function tooltipLines(spec, h) {
  const lines = [];
  if (spec.panels.length > 1) lines.push([spec.panelTitle, spec.panels[h.p].title]);
  lines.push([spec.yTitle, spec.rows[h.i]]);
  const nc = spec.cols.length;
  if (h.j === nc) {
    lines.push([spec.sumLabel, spec.sums[h.i].toFixed(6)]);
    return lines;
  }
  lines.push([spec.xTitle, spec.cols[h.j]]);
  const panel = spec.panels[h.p];
  const k = h.i * nc + h.j;
  const masked = panel.maskedCells && panel.maskedCells[k];
  if (panel.extra) lines.push([spec.extraTitle, panel.extra[k].toFixed(spec.tooltipDecimals)]);
  lines.push([spec.legendTitle, masked ? spec.maskedText : panel.data[k].toFixed(spec.tooltipDecimals)]);
  return lines;
}

export default function (component) {
  const { parentElement } = component;
  let root = parentElement.querySelector(".al-heatmap");
  const first = !root;
  if (first) {
    root = document.createElement("div");
    root.className = "al-heatmap";
    const canvas = document.createElement("canvas");
    const tip = document.createElement("div");
    tip.className = "al-heatmap-tip";
    tip.setAttribute("role", "tooltip");
    root.append(canvas, tip);
    parentElement.appendChild(root);
  }
  root.__component = component;
  render(root, parentElement);
  if (first && window.ResizeObserver) {
    // The chart fits its column: redraw when the column's width changes (sidebar, window, presenter mode).
    // No cleanup is returned: the observer goes with the element when Streamlit removes it.
    let width = parentElement.clientWidth;
    const observer = new ResizeObserver(() => {
      if (parentElement.clientWidth !== width) {
        width = parentElement.clientWidth;
        render(root, parentElement);
      }
    });
    observer.observe(parentElement);
  }
}

function render(root, parentElement) {
  const { data, setTriggerValue } = root.__component;
  const canvas = root.querySelector("canvas");
  const tip = root.querySelector(".al-heatmap-tip");
  const spec = unpack(data);
  spec.font = getComputedStyle(root).fontFamily || "sans-serif";
  const ink = getComputedStyle(root).color || "black";
  const available = parentElement.clientWidth || root.clientWidth || 800;
  const L = layout(canvas.getContext("2d"), spec, available);
  draw(canvas, spec, L, ink);
  // Wider than its column (presenter mode, small windows): shrink the picture rather than overflow.
  const shrink = Math.min(1, available / L.width);
  canvas.style.width = `${L.width * shrink}px`;
  canvas.style.height = `${L.height * shrink}px`;
  root.dataset.rows = String(spec.rows.length);
  root.dataset.cols = String(spec.cols.length);
  root.dataset.panels = String(spec.panels.length);
  root.dataset.title = spec.title || "";
  root.dataset.rowLabels = JSON.stringify(spec.rows); // an attribute's text: never parsed as HTML
  // Where the first panel's cells are, in CSS pixels from the canvas's top left: for tests and tools.
  const origin = panelOrigin(L, 0);
  root.dataset.cells = [origin.x, origin.y, L.cw, L.ch].map((v) => (v * shrink).toFixed(2)).join(",");
  if (spec.panels.length > 1) {
    const origins = spec.panels.map((_, p) => panelOrigin(L, p)).map((o) => [o.x * shrink, o.y * shrink]);
    root.dataset.panelOrigins = JSON.stringify(origins.map((xy) => xy.map((v) => +v.toFixed(1))));
  }
  root.dataset.selectedPanel = spec.selectedPanel == null ? "" : String(spec.selectedPanel);
  root.dataset.selected = spec.selected ? spec.selected.join(",") : "";

  const at = (event) => {
    const box = canvas.getBoundingClientRect();
    return hit(L, spec, ((event.clientX - box.left) / box.width) * L.width, ((event.clientY - box.top) / box.height) * L.height);
  };
  canvas.onmousemove = (event) => {
    const h = at(event);
    if (!h) {
      tip.classList.remove("visible");
      canvas.style.cursor = "default";
      return;
    }
    tip.replaceChildren(
      ...tooltipLines(spec, h).map(([name, value]) => {
        const row = document.createElement("div");
        const key = document.createElement("span");
        key.className = "key";
        key.textContent = `${name}: `;
        const val = document.createElement("span");
        val.textContent = value;
        row.append(key, val);
        return row;
      })
    );
    tip.classList.add("visible");
    const box = root.getBoundingClientRect();
    const left = event.clientX - box.left + 14;
    tip.style.left = `${Math.min(left, Math.max(0, box.width - tip.offsetWidth))}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
    canvas.style.cursor = spec.clickable ? "pointer" : "default";
  };
  canvas.onmouseleave = () => tip.classList.remove("visible");
  canvas.onclick = (event) => {
    const h = at(event);
    if (spec.clickable && h && h.j < spec.cols.length) setTriggerValue("click", { panel: h.p, row: h.i, col: h.j });
  };
}
