// The scale chart in docs/benchmarks.md: board-ready time (with the raw-fetch baseline of the
// same run) and main-process heap against the pipeline count, as one self-contained SVG.
// Written by hand (no chart library): two panels, a log-scaled x axis, the targets as lines.

export interface ScalePoint {
  pipelines: number;
  boardReadyMs: number;
  rawFetchMs: number;
  mainHeapMB: number;
  /** 1-minute load average when the run started, shown under the x axis */
  load?: number;
}

interface Panel {
  title: string;
  unit: string;
  series: Array<{ label: string; values: number[]; colour: string; dashed?: boolean }>;
  targets: Array<{ label: string; value: number; atPipelines?: number }>;
}

const WIDTH = 920;
const HEIGHT = 360;
const PANEL_WIDTH = 400;
const MARGIN = { left: 64, top: 48, bottom: 72 };
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
const PLOT_WIDTH = PANEL_WIDTH - MARGIN.left - 16;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A round axis maximum (1, 2 or 5 × 10^n) at or above the largest value. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatNumber(value: number): string {
  return value >= 1000 ? value.toLocaleString('en-GB') : String(Math.round(value * 10) / 10);
}

function renderPanel(panel: Panel, pipelines: number[], loads: Array<number | undefined>, offsetX: number): string {
  const xs = pipelines.map((p) => Math.log10(p));
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const x = (p: number) => offsetX + MARGIN.left + (maxX === minX ? PLOT_WIDTH / 2 : ((Math.log10(p) - minX) / (maxX - minX)) * PLOT_WIDTH);
  const top = niceMax(Math.max(...panel.series.flatMap((s) => s.values), ...panel.targets.map((t) => t.value)) * 1.05);
  const y = (v: number) => MARGIN.top + PLOT_HEIGHT - (v / top) * PLOT_HEIGHT;
  const out: string[] = [];
  out.push(`<text x="${offsetX + MARGIN.left}" y="24" class="title">${escapeXml(panel.title)}</text>`);
  for (let i = 0; i <= 4; i += 1) {
    const v = (top / 4) * i;
    out.push(`<line x1="${offsetX + MARGIN.left}" x2="${offsetX + MARGIN.left + PLOT_WIDTH}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`);
    out.push(`<text x="${offsetX + MARGIN.left - 8}" y="${y(v) + 4}" class="tick" text-anchor="end">${formatNumber(v)}</text>`);
  }
  out.push(
    `<text x="${offsetX + 14}" y="${MARGIN.top + PLOT_HEIGHT / 2}" class="tick" transform="rotate(-90 ${offsetX + 14} ${MARGIN.top + PLOT_HEIGHT / 2})" text-anchor="middle">${escapeXml(panel.unit)}</text>`,
  );
  pipelines.forEach((p, i) => {
    out.push(`<text x="${x(p)}" y="${MARGIN.top + PLOT_HEIGHT + 18}" class="tick" text-anchor="middle">${formatNumber(p)}</text>`);
    const load = loads[i];
    if (load !== undefined) out.push(`<text x="${x(p)}" y="${MARGIN.top + PLOT_HEIGHT + 32}" class="note" text-anchor="middle">load ${load.toFixed(1)}</text>`);
  });
  out.push(`<text x="${offsetX + MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 12}" class="tick" text-anchor="middle">pipelines (log scale)</text>`);
  for (const t of panel.targets) {
    const x1 = t.atPipelines === undefined ? offsetX + MARGIN.left : x(t.atPipelines) - 18;
    const x2 = t.atPipelines === undefined ? offsetX + MARGIN.left + PLOT_WIDTH : x(t.atPipelines) + 18;
    out.push(`<line x1="${x1}" x2="${x2}" y1="${y(t.value)}" y2="${y(t.value)}" class="target"/>`);
    // Under the line, from its left end: above it sit the measured values' labels.
    out.push(`<text x="${x1}" y="${y(t.value) + 12}" class="note target-label">${escapeXml(t.label)}</text>`);
  }
  panel.series.forEach((s, si) => {
    const points = pipelines.map((p, i) => `${x(p).toFixed(1)},${y(s.values[i]!).toFixed(1)}`);
    out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    pipelines.forEach((p, i) => {
      out.push(`<circle cx="${x(p).toFixed(1)}" cy="${y(s.values[i]!).toFixed(1)}" r="3.5" fill="${s.colour}"/>`);
      if (!s.dashed) out.push(`<text x="${(x(p) + 6).toFixed(1)}" y="${(y(s.values[i]!) - 6).toFixed(1)}" class="value">${formatNumber(s.values[i]!)}</text>`);
    });
    const legendY = MARGIN.top + 4 + si * 16;
    out.push(
      `<line x1="${offsetX + MARGIN.left + 8}" x2="${offsetX + MARGIN.left + 28}" y1="${legendY}" y2="${legendY}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    out.push(`<text x="${offsetX + MARGIN.left + 34}" y="${legendY + 4}" class="tick">${escapeXml(s.label)}</text>`);
  });
  return out.join('\n');
}

/** The chart for points measured at several scales (sorted by pipeline count here). */
export function renderScaleChart(input: ScalePoint[], caption: string): string {
  const points = [...input].sort((a, b) => a.pipelines - b.pipelines);
  if (points.length === 0) throw new Error('renderScaleChart: no points');
  const pipelines = points.map((p) => p.pipelines);
  const loads = points.map((p) => p.load);
  const ready: Panel = {
    title: 'Board ready (s)',
    unit: 'seconds',
    series: [
      { label: 'board ready', values: points.map((p) => p.boardReadyMs / 1000), colour: '#2f6fd0' },
      { label: 'raw fetch of the same lists', values: points.map((p) => p.rawFetchMs / 1000), colour: '#8a8f98', dashed: true },
    ],
    targets: [
      { label: 'target 1.5 s', value: 1.5, atPipelines: 1000 },
      { label: 'target 6 s', value: 6, atPipelines: 10000 },
    ].filter((t) => pipelines.includes(t.atPipelines)),
  };
  const heap: Panel = {
    title: 'Main-process heap (MB)',
    unit: 'MB after GC',
    series: [{ label: 'heap with the board loaded', values: points.map((p) => p.mainHeapMB), colour: '#c2571a' }],
    targets: [
      { label: 'budget 150 MB', value: 150, atPipelines: 3000 },
      { label: 'budget 400 MB', value: 400, atPipelines: 10000 },
    ].filter((t) => pipelines.includes(t.atPipelines)),
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT + 20}" viewBox="0 0 ${WIDTH} ${HEIGHT + 20}" role="img" aria-label="${escapeXml(caption)}">`,
    `<title>${escapeXml(caption)}</title>`,
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1f2328}.title{font-size:15px;font-weight:600}.tick{font-size:11px}.note{font-size:10px;fill:#57606a}.target-label{fill:#cf222e}.value{font-size:10px;font-weight:600}.grid{stroke:#d0d7de;stroke-width:1}.target{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:3 3}</style>',
    `<rect width="${WIDTH}" height="${HEIGHT + 20}" fill="#ffffff"/>`,
    renderPanel(ready, pipelines, loads, 0),
    renderPanel(heap, pipelines, loads, PANEL_WIDTH + 60),
    `<text x="${WIDTH / 2}" y="${HEIGHT + 12}" class="note" text-anchor="middle">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
