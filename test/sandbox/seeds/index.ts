// Seed lookup by name, as the CLI and tests spell it: 'demo', 'empty', 'scale:N' or
// 'scale:N:F' (N pipelines, config repo padded to F files).

import { demoSeed } from './demo';
import { emptySeed } from './empty';
import { scaleSeed } from './scale';
import type { SeedBuilder } from './types';

export { buildDemoSeed, demoSeed } from './demo';
export { emptySeed } from './empty';
export { scaleSeed } from './scale';
export type * from './types';

export function resolveSeed(name: string): SeedBuilder {
  if (name === 'demo') return demoSeed;
  if (name === 'empty') return emptySeed;
  const scale = /^scale:(\d+)(?::(\d+))?$/.exec(name);
  if (scale) {
    const count = Number(scale[1]);
    const repoFiles = scale[2] === undefined ? undefined : Number(scale[2]);
    return scaleSeed(count, repoFiles === undefined ? {} : { repoFiles });
  }
  throw new Error(`unknown seed "${name}" (expected demo, empty, scale:N or scale:N:FILES)`);
}
