// forges:list-capabilities: what each registered forge supports, from the registry.
import { ok } from '../common/result';
import type { RequestHandlers } from '../ipc/dispatcher';
import { forgeCapabilities } from './registry';

export function capabilityHandlers(): Pick<RequestHandlers, 'forges:list-capabilities'> {
  return { 'forges:list-capabilities': () => ok(forgeCapabilities()) };
}
