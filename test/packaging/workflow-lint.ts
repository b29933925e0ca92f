// A structural linter for GitHub Actions workflow files, enough to catch the mistakes that
// matter here without network access to SchemaStore: a JSON schema (ajv) for the shape, plus
// rules a schema cannot express — secrets only flow through env/with, never into a script or
// a log line; actions are pinned to a version; permissions are declared.
import { Ajv } from 'ajv';
import { parse } from 'yaml';

export interface WorkflowProblem {
  path: string;
  message: string;
}

const expression = { type: 'string' };
const stringOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] };
const envMap = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };

const stepSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    if: { type: ['string', 'boolean'] },
    uses: { type: 'string', minLength: 1 },
    run: { type: 'string', minLength: 1 },
    shell: { type: 'string' },
    with: envMap,
    env: envMap,
    'working-directory': { type: 'string' },
    'continue-on-error': { type: ['boolean', 'string'] },
    'timeout-minutes': { type: ['number', 'string'] },
  },
  additionalProperties: false,
  // exactly one of uses / run
  oneOf: [{ required: ['uses'], not: { required: ['run'] } }, { required: ['run'], not: { required: ['uses'] } }],
};

const permissionValue = { enum: ['read', 'write', 'none'] };
const permissions = { anyOf: [{ enum: ['read-all', 'write-all'] }, { type: 'object', additionalProperties: permissionValue }] };

const jobSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    needs: stringOrList,
    if: { type: ['string', 'boolean'] },
    'runs-on': { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    permissions,
    environment: { type: ['string', 'object'] },
    concurrency: { type: ['string', 'object'] },
    outputs: { type: 'object' },
    env: envMap,
    defaults: { type: 'object', properties: { run: { type: 'object', properties: { shell: { type: 'string' }, 'working-directory': { type: 'string' } }, additionalProperties: false } }, additionalProperties: false },
    'timeout-minutes': { type: ['number', 'string'] },
    'continue-on-error': { type: ['boolean', 'string'] },
    strategy: {
      type: 'object',
      properties: {
        matrix: { anyOf: [expression, { type: 'object', minProperties: 1 }] },
        'fail-fast': { type: ['boolean', 'string'] },
        'max-parallel': { type: ['number', 'string'] },
      },
      additionalProperties: false,
    },
    container: { type: ['string', 'object'] },
    services: { type: 'object' },
    steps: { type: 'array', items: stepSchema, minItems: 1 },
  },
  required: ['runs-on', 'steps'],
  additionalProperties: false,
};

const workflowSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    'run-name': { type: 'string' },
    on: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object', minProperties: 1 }] },
    permissions,
    env: envMap,
    defaults: { type: 'object' },
    concurrency: { type: ['string', 'object'] },
    jobs: { type: 'object', minProperties: 1, additionalProperties: jobSchema, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' } },
  },
  required: ['on', 'jobs'],
  additionalProperties: false,
};

const checkShape = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(workflowSchema);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Visits every string in the document with its path (keys joined by '.'). */
function eachString(node: Json, path: string[], visit: (value: string, path: string[]) => void): void {
  if (typeof node === 'string') visit(node, path);
  else if (Array.isArray(node)) node.forEach((child, i) => eachString(child, [...path, String(i)], visit));
  else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) eachString(child, [...path, key], visit);
}

const secretRef = /\$\{\{[^}]*\bsecrets\.[^}]*\}\}/;
const anySecretsMention = /\bsecrets\s*(?:\.|\[)/;

export function lintWorkflow(text: string): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  let doc: Json;
  try {
    doc = parse(text, { uniqueKeys: true, strict: true }) as Json;
  } catch (error) {
    return [{ path: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }];
  }
  if (!checkShape(doc)) {
    for (const e of checkShape.errors ?? []) problems.push({ path: e.instancePath || '/', message: `schema: ${e.message ?? 'invalid'}` });
    return problems;
  }
  const workflow = doc as { permissions?: Json; jobs: Record<string, { steps: Record<string, Json>[]; env?: Record<string, Json>; permissions?: Json }>; env?: Record<string, Json> };

  if (workflow.permissions === undefined) problems.push({ path: 'permissions', message: 'declare top-level permissions (least privilege for GITHUB_TOKEN)' });

  // Secrets may appear only as values of env or with maps.
  eachString(doc, [], (value, path) => {
    if (!anySecretsMention.test(value)) return;
    const parent = path[path.length - 2];
    if (!secretRef.test(value)) problems.push({ path: path.join('.'), message: 'secrets must be referenced as ${{ secrets.NAME }}' });
    else if (parent !== 'env' && parent !== 'with') problems.push({ path: path.join('.'), message: 'secrets may be used only in env or with, never inline in a script or condition' });
    else if (value.trim() !== value.trim().match(secretRef)![0]) problems.push({ path: path.join('.'), message: 'a secret must be the whole value, not part of a larger string' });
  });

  const secretEnvNames = (env: Record<string, Json> | undefined) =>
    Object.entries(env ?? {})
      .filter(([, v]) => typeof v === 'string' && secretRef.test(v))
      .map(([k]) => k);
  const globalSecretEnv = secretEnvNames(workflow.env);

  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    const jobSecretEnv = [...globalSecretEnv, ...secretEnvNames(job.env)];
    job.steps.forEach((step, i) => {
      const where = `jobs.${jobName}.steps.${i}`;
      const uses = step['uses'];
      if (typeof uses === 'string' && !uses.startsWith('./') && !uses.startsWith('docker://')) {
        const ref = uses.split('@')[1];
        if (!ref) problems.push({ path: `${where}.uses`, message: `pin ${uses} to a version` });
        else if (/^(main|master|latest|HEAD)$/i.test(ref)) problems.push({ path: `${where}.uses`, message: `${uses} follows a moving branch; pin a release` });
      }
      const run = step['run'];
      if (typeof run !== 'string') return;
      if (/^\s*set\s+-[a-z]*x/m.test(run) || /\bbash\s+-x\b/.test(run)) problems.push({ path: `${where}.run`, message: 'shell tracing (set -x) would print secrets' });
      const names = [...jobSecretEnv, ...secretEnvNames(step['env'] as Record<string, Json> | undefined)];
      for (const line of run.split('\n')) {
        if (/^(env|printenv)(\s*\|.*)?$/.test(line.trim())) problems.push({ path: `${where}.run`, message: 'dumps the environment' });
        if (!/\b(echo|printf|cat|tee|Write-Host|Write-Output)\b/.test(line)) continue;
        for (const name of names) {
          if (new RegExp(`\\$\\{?${name}\\b|\\$env:${name}\\b`).test(line)) problems.push({ path: `${where}.run`, message: `prints the secret-bearing variable ${name}` });
        }
      }
    });
  }
  return problems;
}

/** The operating systems a workflow's jobs run on, from runs-on and matrix values. */
export function runnerSystems(text: string): Set<string> {
  const doc = parse(text) as { jobs: Record<string, { 'runs-on': string | string[]; strategy?: { matrix?: Record<string, unknown> } }> };
  const systems = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== 'string') return;
    const match = /^(ubuntu|macos|windows)-/.exec(value);
    if (match) systems.add(match[1]!);
  };
  for (const job of Object.values(doc.jobs)) {
    for (const r of ([] as string[]).concat(job['runs-on'])) add(r);
    const matrix = job.strategy?.matrix ?? {};
    for (const [key, value] of Object.entries(matrix)) {
      if (key === 'include' && Array.isArray(value)) for (const entry of value) add((entry as Record<string, unknown>)['os']);
      else if (Array.isArray(value)) value.forEach(add);
    }
  }
  return systems;
}
