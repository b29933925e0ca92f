// The Settings dialog's form model, kept pure so it is tested without a DOM: a draft built
// from the SettingsView, the SettingsPatch built from a draft, local checks the server could
// not phrase well (half-filled rows, duplicates), and the server's invalid-payload message
// split back onto the fields it names so each problem shows next to its input.
import type { SettingsPatch, SettingsView } from '../../../src-main/common/settings';

export interface OverrideRow {
  key: string;
  cluster: string;
  context: string;
}

export interface HostRow {
  key: string;
  id?: string;
  type: 'github' | 'gitlab';
  webUrl: string;
  clientId: string;
  /** typed by the user in this session only; blank keeps the stored secret */
  secret: string;
  hasClientSecret: boolean;
}

export interface SettingsDraft {
  /** the file main's open dialog chose; '' = KUBECONFIG or ~/.kube/config (the form can only reset it) */
  kubeconfigPath: string;
  /** null = not asked yet (saving leaves it so) */
  readPromotionSecrets: boolean | null;
  approvedForgeHosts: string[];
  overrides: OverrideRow[];
  readGitopsClusterSecrets: boolean;
  checkUpdatesAutomatically: boolean;
  notifyPromotions: boolean;
  hosts: HostRow[];
}

/** Field key → message. Keys: 'kubeconfigPath', 'override:<rowKey>', 'host:<rowKey>:<field>', 'form'. */
export type FieldErrors = Record<string, string>;

let nextKey = 0;
/** Row keys only have to be unique within the page: React keys and error anchors. */
export function rowKey(): string {
  nextKey += 1;
  return `r${nextKey}`;
}

export function draftFromView(view: SettingsView): SettingsDraft {
  return {
    kubeconfigPath: view.kubeconfigPath ?? '',
    readPromotionSecrets: view.readPromotionSecrets,
    approvedForgeHosts: [...view.approvedForgeHosts],
    overrides: Object.entries(view.clusterContextOverrides).map(([cluster, context]) => ({ key: rowKey(), cluster, context })),
    readGitopsClusterSecrets: view.readGitopsClusterSecrets,
    checkUpdatesAutomatically: view.checkUpdatesAutomatically,
    notifyPromotions: view.notifyPromotions,
    hosts: view.forgeHosts.map((h) => ({
      key: rowKey(),
      ...(h.id ? { id: h.id } : {}),
      type: h.type,
      webUrl: h.webUrl,
      clientId: h.clientId,
      secret: '',
      hasClientSecret: h.hasClientSecret,
    })),
  };
}

export function emptyOverride(): OverrideRow {
  return { key: rowKey(), cluster: '', context: '' };
}

export function emptyHost(type: HostRow['type'] = 'gitlab'): HostRow {
  return { key: rowKey(), type, webUrl: '', clientId: '', secret: '', hasClientSecret: false };
}

/** Problems caught before sending: ones where the server would be silent or cryptic. */
export function localErrors(draft: SettingsDraft): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const row of draft.overrides) {
    const cluster = row.cluster.trim();
    const context = row.context.trim();
    if (!cluster && !context) continue;
    if (!cluster || !context) errors[`override:${row.key}`] = 'Name both the GitopsCluster and the kubeconfig context, or remove the row.';
    else if (seen.has(cluster)) errors[`override:${row.key}`] = `${cluster} already has a context above.`;
    seen.add(cluster);
  }
  const urls = new Set<string>();
  for (const host of draft.hosts) {
    const url = host.webUrl.trim();
    if (!url) errors[`host:${host.key}:webUrl`] = 'Enter the host’s web address, e.g. https://gitlab.example.com.';
    else if (urls.has(url)) errors[`host:${host.key}:webUrl`] = 'This host is already listed.';
    urls.add(url);
    if (!host.clientId.trim()) errors[`host:${host.key}:clientId`] = 'Enter the OAuth application’s client id.';
  }
  return errors;
}

/**
 * The patch for a draft: every field is sent, so what is saved is exactly what is shown —
 * except unchanged forge hosts when `saved` is given, because main marks any forge-host
 * update as needing a restart.
 */
export function patchFromDraft(draft: SettingsDraft, saved?: SettingsView): SettingsPatch {
  const patch = fullPatch(draft);
  if (saved && !draft.hosts.some((h) => h.secret !== '') && JSON.stringify(patch.forgeHosts) === JSON.stringify(fullPatch(draftFromView(saved)).forgeHosts)) delete patch.forgeHosts;
  return patch;
}

function fullPatch(draft: SettingsDraft): SettingsPatch {
  const overrides: Record<string, string> = {};
  for (const row of draft.overrides) {
    const cluster = row.cluster.trim();
    const context = row.context.trim();
    if (cluster || context) overrides[cluster] = context;
  }
  return {
    // a file is chosen in main's own dialog; the form can only send "back to the default"
    ...(draft.kubeconfigPath.trim() === '' ? { kubeconfigPath: null } : {}),
    ...(draft.readPromotionSecrets !== null ? { readPromotionSecrets: draft.readPromotionSecrets } : {}),
    approvedForgeHosts: [...draft.approvedForgeHosts],
    clusterContextOverrides: overrides,
    readGitopsClusterSecrets: draft.readGitopsClusterSecrets,
    checkUpdatesAutomatically: draft.checkUpdatesAutomatically,
    notifyPromotions: draft.notifyPromotions,
    forgeHosts: draft.hosts.map((h) => ({
      ...(h.id ? { id: h.id } : {}),
      type: h.type,
      webUrl: h.webUrl.trim(),
      clientId: h.clientId.trim(),
      // A blank secret is left out: main then keeps the one stored for this web address.
      ...(h.secret !== '' ? { clientSecret: h.secret } : {}),
    })),
  };
}

const HOST_FIELDS = new Set(['webUrl', 'clientId', 'clientSecret', 'type', 'id']);

/**
 * Splits main's invalid-payload message ("Invalid request for settings:update: a.b: msg; c: msg")
 * onto the fields of the draft it was built from. Whatever cannot be placed goes to 'form'.
 */
export function serverErrors(draft: SettingsDraft, message: string): FieldErrors {
  const errors: FieldErrors = {};
  const leftover: string[] = [];
  const prefix = /^Invalid request for [^:]+:[^:]+: /;
  const body = prefix.test(message) ? message.replace(prefix, '') : null;
  if (body === null) return { form: message };
  const overrideRows = draft.overrides.filter((r) => r.cluster.trim() || r.context.trim());
  for (const part of body.split('; ')) {
    const split = part.indexOf(': ');
    const path = split > 0 ? part.slice(0, split).split('.') : [];
    const text = split > 0 ? part.slice(split + 2) : part;
    let field: string | undefined;
    if (path[0] === 'kubeconfigPath') field = 'kubeconfigPath';
    else if (path[0] === 'forgeHosts' && path.length >= 2) {
      const row = draft.hosts[Number(path[1])];
      const name = path[2] === 'clientSecret' ? 'secret' : path[2];
      if (row && name && HOST_FIELDS.has(path[2]!)) field = `host:${row.key}:${name}`;
      else if (row) field = `host:${row.key}:webUrl`;
    } else if (path[0] === 'clusterContextOverrides' && path.length >= 2) {
      const cluster = path.slice(1).join('.');
      const row = overrideRows.find((r) => r.cluster.trim() === cluster);
      if (row) field = `override:${row.key}`;
    }
    if (field) errors[field] = errors[field] ? `${errors[field]}; ${text}` : text;
    else leftover.push(part);
  }
  if (leftover.length > 0) errors.form = leftover.join('; ');
  return errors;
}

/** Whether a draft differs from what main holds (typed secrets always count as a change). */
export function isDirty(draft: SettingsDraft, view: SettingsView): boolean {
  if (draft.hosts.some((h) => h.secret !== '')) return true;
  const a = fullPatch(draft);
  const b = fullPatch(draftFromView(view));
  return JSON.stringify(a) !== JSON.stringify(b);
}
