// Wheel-pass profile (not a test): the renderer benchmark's whole-board mouse.wheel pass, with a
// Chromium trace around it, reduced to figures that hold up on a loaded machine — the renderer
// main thread's CPU time (trace `tdur`, thread time: time spent descheduled does not count) split
// into script / style / layout / paint / GC / other, plus React commits (through a counting
// devtools hook installed before the page loads: nothing in the app) and the DOM size per row.
// Frame p95 and long tasks are printed too, but those are wall times and move with the load.
// Run: npx electron-vite build && npx tsx test/bench/wheel-profile.ts [pipelines] [default|compact] [runs]
import { chromium, type Page } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { startBoardPreview } from '../e2e/board-fixtures/board-test';
import { createScaleBoard } from '../e2e/board-fixtures/scale-board';
import { wheelThroughBoard, type BenchDensity } from './renderer';
import { percentile } from './stats';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface WheelProfile {
  density: BenchDensity;
  wheelEvents: number;
  /** renderer main thread, thread CPU ms over the pass */
  mainThreadCpuMs: number;
  cpuMsByKind: Record<string, number>;
  /** top-level main-thread tasks over 50 ms of wall time */
  tasksOver50ms: number;
  reactCommits: number;
  domNodesPerRow: number;
  frameP50Ms: number;
  frameP95Ms: number;
  longTasksOver50ms: number;
}

const kindOf: Record<string, string> = {
  FunctionCall: 'script',
  EvaluateScript: 'script',
  RunMicrotasks: 'script',
  'V8.Execute': 'script',
  'v8.callFunction': 'script',
  'v8.run': 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  EventDispatch: 'script',
  UpdateLayoutTree: 'style',
  RecalcStyle: 'style',
  ParseAuthorStyleSheet: 'style',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  UpdateLayerTree: 'paint',
  CompositeLayers: 'paint',
  'LocalFrameView::RunPaintLifecyclePhase': 'paint',
  HitTest: 'hitTest',
  MinorGC: 'gc',
  MajorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'V8.GC_MARK_COMPACTOR': 'gc',
  'BlinkGC.AtomicPhase': 'gc',
};

const TOP_LEVEL = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** Self CPU time per kind on one thread: each complete event's thread time minus its children's. */
function cpuByKind(events: TraceEvent[]): { total: number; byKind: Record<string, number>; longTasks: number } {
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const byKind: Record<string, number> = {};
  const byName = new Map<string, number>();
  const stack: { end: number; name: string; kind: string; cpu: number; childCpu: number }[] = [];
  let total = 0;
  let longTasks = 0;
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= upTo) {
      const done = stack.pop()!;
      byKind[done.kind] = (byKind[done.kind] ?? 0) + Math.max(0, done.cpu - done.childCpu);
      byName.set(done.name, (byName.get(done.name) ?? 0) + Math.max(0, done.cpu - done.childCpu));
    }
  };
  for (const e of complete) {
    close(e.ts);
    const cpu = e.tdur ?? e.dur!;
    const parent = stack[stack.length - 1];
    // An event inherits its enclosing kind unless it has one of its own (a FunctionCall inside a task).
    const kind = kindOf[e.name] ?? parent?.kind ?? 'other';
    if (parent) parent.childCpu += cpu;
    else if (TOP_LEVEL.has(e.name)) {
      total += cpu;
      if (e.dur! > 50_000) longTasks += 1;
    }
    stack.push({ end: e.ts + e.dur!, name: e.name, kind, cpu, childCpu: 0 });
  }
  close(Infinity);
  if (process.env['WHEEL_TRACE_NAMES']) for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.error(`${(us / 1000).toFixed(1).padStart(8)} ms self  ${name}`);
  for (const k of Object.keys(byKind)) byKind[k] = Math.round(byKind[k]! / 100) / 10;
  return { total: Math.round(total / 100) / 10, byKind, longTasks };
}

function rendererMainThread(events: TraceEvent[]): TraceEvent[] {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best: TraceEvent[] = [];
  for (const m of mains) {
    const own = events.filter((e) => e.pid === m.pid && e.tid === m.tid);
    if (own.length > best.length) best = own;
  }
  return best;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** WHEEL_CPU_PROFILE=1: the functions with the most self time over the pass (build unminified to read them). */
function printHotFunctions(profile: CpuProfile): void {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
  for (const [key, ms] of top) console.error(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
}

/**
 * WHEEL_SETTLED=N: N wheel events of 400 px, each followed by waiting until the page is idle, so
 * every run does the same work (the same rows mount, the same commits) however busy the
 * machine is: the figure to compare two builds by. The free-running pass above does more or
 * less work depending on how many frames the machine manages.
 */
const settledSteps = Number(process.env['WHEEL_SETTLED'] ?? 0);

async function settledWheel(page: Page, steps: number): Promise<{ longTasks: number[]; frames: number[]; events: number }> {
  const list = page.getByTestId('board-list');
  const box = (await list.boundingBox())!;
  await list.evaluate((el) => (el.scrollTop = 0));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < steps; i += 1) {
    await page.mouse.wheel(0, 400);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(r, { timeout: 1000 }))))');
  }
  return { longTasks: [], frames: [0], events: steps };
}

const COUNT_COMMITS = `(() => {
  window.__commits = 0;
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    inject() { return 1; },
    onCommitFiberRoot() { window.__commits += 1; },
    onPostCommitFiberRoot() {},
    onCommitFiberUnmount() {},
    setStrictMode() {},
    checkDCE() {},
  };
})()`;

export async function profileWheelPass(options: { pipelines: number; density: BenchDensity }): Promise<WheelProfile> {
  const now = new Date();
  const started = await startBoardPreview(createScaleBoard(options.pipelines, now));
  if (options.density !== 'default') {
    const saved = await started.services.dispatcher.dispatch('settings:update', { density: options.density });
    if (!saved.ok) throw new Error(`--density ${options.density}: refused`);
  }
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(COUNT_COMMITS);
    await page.goto(started.preview.url);
    await page.waitForFunction(() => performance.getEntriesByName('board:painted').length > 0, undefined, { timeout: 30_000 });
    await page.waitForTimeout(500);
    const domNodesPerRow = await page.evaluate(() => {
      const rows = document.querySelectorAll('[data-testid="pipeline-row"]');
      let nodes = 0;
      for (const r of rows) nodes += r.querySelectorAll('*').length + 1;
      return Math.round((nodes / Math.max(1, rows.length)) * 10) / 10;
    });
    await page.evaluate('window.__commits = 0');
    const cdp = process.env['WHEEL_CPU_PROFILE'] ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing'] });
    const wheel = settledSteps > 0 ? await settledWheel(page, settledSteps) : await wheelThroughBoard(page);
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    if (cdp) printHotFunctions(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile);
    const reactCommits = (await page.evaluate('window.__commits')) as number;
    const cpu = cpuByKind(rendererMainThread(trace.traceEvents));
    return {
      density: options.density,
      wheelEvents: wheel.events,
      mainThreadCpuMs: cpu.total,
      cpuMsByKind: cpu.byKind,
      tasksOver50ms: cpu.longTasks,
      reactCommits,
      domNodesPerRow,
      frameP50Ms: Number(percentile(wheel.frames, 50).toFixed(1)),
      frameP95Ms: Number(percentile(wheel.frames, 95).toFixed(1)),
      longTasksOver50ms: wheel.longTasks.filter((d) => d > 50).length,
    };
  } finally {
    await browser.close();
    await started.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pipelines = Number(process.argv[2] ?? 1000);
  const density = (process.argv[3] as BenchDensity | undefined) ?? 'default';
  const runs = Number(process.argv[4] ?? 1);
  for (let i = 0; i < runs; i += 1) {
    const loadStart = os.loadavg()[0]!.toFixed(2);
    const profile = await profileWheelPass({ pipelines, density });
    console.log(JSON.stringify({ pipelines, load: [loadStart, os.loadavg()[0]!.toFixed(2)], ...profile }));
  }
  process.exit(0);
}
