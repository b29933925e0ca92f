// The Settings form model: view ↔ patch round trip, local checks, server errors placed on fields.
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../src-main/common/settings';
import { draftFromView, emptyHost, emptyOverride, isDirty, localErrors, patchFromDraft, serverErrors } from './settings-form';

const view: SettingsView = {
  kubeconfigPath: '/home/me/kc.yaml',
  clusterContextOverrides: { 'flux-system/prod': 'prod-admin' },
  readGitopsClusterSecrets: false,
  checkUpdatesAutomatically: true,
  notifyPromotions: true,
  forgeHosts: [{ id: 'gl', type: 'gitlab', webUrl: 'https://gitlab.example.test', clientId: 'app', hasClientSecret: true }],
  approvedForgeHosts: ['git.partner.example'],
  readPromotionSecrets: null,
  pendingExecPlugins: [],
  restartRequired: false,
  theme: 'system',
  density: 'comfortable',
  environmentForgeHosts: [],
};

describe('settings form model', () => {
  it('round-trips a view into an equivalent patch that keeps the stored secret', () => {
    const patch = patchFromDraft(draftFromView(view));
    // the chosen kubeconfig file is main's to set (settings:choose-kubeconfig); "not asked yet" stays so
    expect(patch).toEqual({
      approvedForgeHosts: ['git.partner.example'],
      clusterContextOverrides: { 'flux-system/prod': 'prod-admin' },
      readGitopsClusterSecrets: false,
      checkUpdatesAutomatically: true,
      notifyPromotions: true,
      forgeHosts: [{ id: 'gl', type: 'gitlab', webUrl: 'https://gitlab.example.test', clientId: 'app' }],
    });
    expect(isDirty(draftFromView(view), view)).toBe(false);
  });

  it('sends an empty kubeconfig path as null, trims, skips blank rows and sends typed secrets', () => {
    const d = draftFromView({ ...view, kubeconfigPath: undefined });
    d.overrides.push({ ...emptyOverride() }, { ...emptyOverride(), cluster: ' dev ', context: ' kind-dev ' });
    d.hosts[0]!.secret = 'typed';
    const patch = patchFromDraft(d);
    expect(patch.kubeconfigPath).toBeNull();
    expect(patch.clusterContextOverrides).toEqual({ 'flux-system/prod': 'prod-admin', dev: 'kind-dev' });
    expect(patch.forgeHosts?.[0]?.clientSecret).toBe('typed');
    expect(isDirty(d, view)).toBe(true);
  });

  it('leaves unchanged forge hosts out of the patch, so a toggle does not ask for a restart', () => {
    const d = draftFromView(view);
    d.notifyPromotions = false;
    expect(patchFromDraft(d, view)).not.toHaveProperty('forgeHosts');
    expect(patchFromDraft(d, view).notifyPromotions).toBe(false);
    d.hosts[0]!.clientId = 'other-app';
    expect(patchFromDraft(d, view).forgeHosts?.[0]?.clientId).toBe('other-app');
    const typed = draftFromView(view);
    typed.hosts[0]!.secret = 'new';
    expect(patchFromDraft(typed, view).forgeHosts?.[0]?.clientSecret).toBe('new');
    const removed = draftFromView(view);
    removed.hosts = [];
    expect(patchFromDraft(removed, view).forgeHosts).toEqual([]);
  });

  it('flags half-filled and duplicate override rows and incomplete hosts before sending', () => {
    const d = draftFromView(view);
    const half = { ...emptyOverride(), cluster: 'staging' };
    const dup = { ...emptyOverride(), cluster: 'flux-system/prod', context: 'other' };
    const host = emptyHost();
    d.overrides.push(half, dup);
    d.hosts.push(host);
    const errors = localErrors(d);
    expect(Object.keys(errors).sort()).toEqual([`host:${host.key}:clientId`, `host:${host.key}:webUrl`, `override:${dup.key}`, `override:${half.key}`].sort());
    expect(localErrors(draftFromView(view))).toEqual({});
  });

  it('places the server’s invalid-payload details on the fields they name', () => {
    const d = draftFromView(view);
    const host = { ...emptyHost('github'), webUrl: 'not a url', clientId: 'x' };
    d.hosts.push(host);
    const errors = serverErrors(d, 'Invalid request for settings:update: forgeHosts.1.webUrl: Invalid URL; clusterContextOverrides.flux-system/prod: Too big; surprise: Unrecognized key');
    expect(errors).toEqual({
      [`host:${host.key}:webUrl`]: 'Invalid URL',
      [`override:${d.overrides[0]!.key}`]: 'Too big',
      form: 'surprise: Unrecognized key',
    });
    expect(serverErrors(d, 'Something else went wrong')).toEqual({ form: 'Something else went wrong' });
  });
});
