// The tokens:* request handlers: the report, rechecks, and approving a Git host for checks.
// Security model: main approves only a host its own report shows as waiting, and asks the user
// itself where it can (a native dialog naming the host); the renderer's click alone is not enough.
import { err, ok, type Result } from '../common/result';
import type { RequestValue } from '../common/ipc-contract';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { Logger } from '../log/logger';
import type { TokenService } from './token-service';

type TokenChannel = 'tokens:list' | 'tokens:recheck' | 'tokens:refresh' | 'tokens:approve-host';
export type TokenHandlers = Pick<RequestHandlers, TokenChannel>;

export interface TokenHandlerDeps {
  tokens: TokenService;
  approvedHosts(): string[];
  /** Saves the approval and tells the renderer that settings changed. */
  saveApprovedHosts(hosts: string[]): Promise<void>;
  confirmHostApproval?: (host: string, pipelines: string[]) => Promise<boolean>;
  logger: Logger;
}

async function tokenResult<C extends TokenChannel>(work: () => Promise<RequestValue<C>>): Promise<Result<RequestValue<C>>> {
  try {
    return ok(await work());
  } catch (error) {
    return err('tokens-unavailable', `Token status could not be read: ${(error as Error).message}`, 'Check that your kubeconfig works (for example with kubectl get pipelines -A).');
  }
}

export function tokenHandlers(deps: TokenHandlerDeps): TokenHandlers {
  const { tokens } = deps;
  return {
    'tokens:list': () => tokenResult<'tokens:list'>(() => tokens.latest()),
    'tokens:recheck': ({ key }) => tokenResult<'tokens:recheck'>(() => tokens.recheck(key)),
    'tokens:refresh': () => tokenResult<'tokens:refresh'>(() => tokens.report({ force: true })),
    'tokens:approve-host': async ({ host }) => {
      const report = tokens.current() ?? (await tokens.latest());
      const waiting = report.entries.filter((e) => e.unapprovedHost === host);
      if (waiting.length === 0) return err('not-approvable', `${host} is not a Git host waiting for approval.`, 'Refresh the Tokens view and try again.');
      const pipelines = [...new Set(waiting.flatMap((e) => e.uses.map((u) => u.pipelineId)))];
      if (deps.confirmHostApproval && !(await deps.confirmHostApproval(host, pipelines))) return err('approval-declined', `${host} was not approved; its tokens stay unchecked.`);
      await deps.saveApprovedHosts([...new Set([...deps.approvedHosts(), host])]);
      deps.logger.info('settings', `Git host ${host} approved for token checks (${pipelines.length} pipelines)`);
      return tokenResult<'tokens:approve-host'>(() => tokens.report({ force: true }));
    },
  };
}
