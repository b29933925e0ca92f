// Looks up what main said about a forge kind (store: forgeCapabilities). Pure; a kind main did
// not describe gets neutral wording and no optional features.
import type { ForgeCapabilities } from '../../../src-main/common/forges';

export function capabilitiesOf(list: readonly ForgeCapabilities[], type: string | undefined): ForgeCapabilities | undefined {
  return list.find((c) => c.type === type);
}

/** "GitHub", "GitLab"; the raw type for a kind main did not describe. */
export function forgeLabel(list: readonly ForgeCapabilities[], type: string | undefined): string {
  return capabilitiesOf(list, type)?.label ?? type ?? 'Git host';
}

/** Whether sign-in to this kind of host may use a device code. */
export function offersDeviceFlow(list: readonly ForgeCapabilities[], type: string | undefined): boolean {
  return capabilitiesOf(list, type)?.deviceFlow === true;
}

/** Whether this kind of forge tells when a token was last used. */
export function reportsTokenLastUse(list: readonly ForgeCapabilities[], type: string | undefined): boolean {
  return capabilitiesOf(list, type)?.reportsTokenLastUse !== false;
}

/** The forge types a host may be set to: those main described, plus the row's current one. */
export function forgeTypeOptions(list: readonly ForgeCapabilities[], current: ForgeCapabilities['type']): { type: ForgeCapabilities['type']; label: string }[] {
  const known = list.map((c) => ({ type: c.type, label: c.label }));
  return known.some((c) => c.type === current) ? known : [{ type: current, label: forgeLabel(list, current) }, ...known];
}
