// The Settings dialog: kubeconfig and per-cluster contexts, Git hosts (OAuth app registrations)
// and app preferences, read with settings:get and saved with settings:update. It opens on
// Ctrl/⌘+, or on the window event OPEN_SETTINGS_EVENT, so any button can open it without a
// shared store. Client secrets only travel renderer → main: the view says "stored", the field
// stays blank, and a blank field keeps the stored secret. A failed save keeps every value typed.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { EnvironmentForgeHost, SettingsView } from '../../../src-main/common/settings';
import type { AppError } from '../../../src-main/common/result';
import { bridge } from '../../bridge/release-board';
import { Modal } from '../../components/modal';
import { useAppStore } from '../../store/store';
import { capabilitiesOf, forgeTypeOptions } from '../forges/forge-capabilities';
import { draftFromView, emptyHost, emptyOverride, isDirty, localErrors, patchFromDraft, serverErrors, type FieldErrors, type HostRow, type OverrideRow, type SettingsDraft } from './settings-form';
import { EnvironmentHosts, ThemeField } from './appearance-fields';
import './settings.css';

export const OPEN_SETTINGS_EVENT = 'release-board:open-settings';

/** Opens the Settings dialog from anywhere (a top-bar button, the command palette). */
export function openSettings(): void {
  window.dispatchEvent(new CustomEvent(OPEN_SETTINGS_EVENT));
}

export function SettingsDialogHost() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onOpen = () => setOpen(true);
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key === ',') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener(OPEN_SETTINGS_EVENT, onOpen);
    window.addEventListener('keydown', onKey);
    // The desktop app's Settings… menu item.
    const stopMenu = bridge.on('settings:open-requested', onOpen);
    return () => {
      stopMenu();
      window.removeEventListener(OPEN_SETTINGS_EVENT, onOpen);
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  if (!open) return null;
  return <SettingsDialog onClose={() => setOpen(false)} />;
}

type Load = { kind: 'loading' } | { kind: 'error'; error: AppError } | { kind: 'ready'; view: SettingsView };

function SettingsDialog(props: { onClose(): void }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const live = useRef(true);
  // Latest draft and saved view for event handlers and the settings:changed listener;
  // updated after each commit (refs must not be written during render).
  const draftRef = useRef<SettingsDraft | null>(null);
  const viewRef = useRef<SettingsView | null>(null);
  useLayoutEffect(() => {
    draftRef.current = draft;
    viewRef.current = load.kind === 'ready' ? load.view : null;
  });
  // Focus moves that target elements the next render creates (a new row, an error) are
  // queued here and done after that render commits, not on a timer that might run first.
  const pendingFocus = useRef<string | null>(null);
  const focusAfterRender: FocusRequest = (selector) => {
    pendingFocus.current = selector;
  };
  useEffect(() => {
    const selector = pendingFocus.current;
    if (!selector) return;
    // One attempt, on the commit that carries the change: a stale request never fires later.
    pendingFocus.current = null;
    document
      .querySelector<HTMLElement>(
        selector
          .split(',')
          .map((part) => `.settings ${part.trim()}`)
          .join(', '),
      )
      ?.focus();
  });

  const applyFetched = useCallback((result: Awaited<ReturnType<typeof bridge.request<'settings:get'>>>) => {
    if (!live.current) return;
    if (result.ok) {
      // The dialog opens before settings arrive; once they do, start at the first field.
      pendingFocus.current = '[data-autofocus]';
      setLoad({ kind: 'ready', view: result.value });
      setDraft(draftFromView(result.value));
    } else setLoad({ kind: 'error', error: result.error });
  }, []);
  const fetchSettings = useCallback(() => bridge.request('settings:get', undefined).then(applyFetched), [applyFetched]);

  useEffect(() => {
    live.current = true;
    void bridge.request('settings:get', undefined).then(applyFetched);
    return () => {
      live.current = false;
    };
  }, [applyFetched]);

  // Another window (or main itself) changed settings: follow it unless the user is mid-edit,
  // in which case only the restart notice is taken, so nothing typed is overwritten.
  useEffect(
    () =>
      bridge.on('settings:changed', (view) => {
        const current = draftRef.current;
        const before = viewRef.current;
        setLoad({ kind: 'ready', view });
        if (!current || !before || !isDirty(current, before)) setDraft(draftFromView(view));
      }),
    [],
  );

  const edit = (change: (d: SettingsDraft) => SettingsDraft) => {
    setDraft((d) => (d ? change(d) : d));
    setSaved(false);
  };

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!draft || saving) return;
    const local = localErrors(draft);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      focusAfterRender(FIRST_ERROR);
      return;
    }
    setSaving(true);
    setErrors({});
    const sent = draft;
    const result = await bridge.request('settings:update', patchFromDraft(sent, viewRef.current ?? undefined));
    if (!live.current) return;
    setSaving(false);
    if (!result.ok) {
      setErrors(result.error.code === 'invalid-payload' ? serverErrors(sent, result.error.message) : { form: result.error.message + (result.error.hint ? ` ${result.error.hint}` : '') });
      focusAfterRender(FIRST_ERROR);
      return;
    }
    setLoad({ kind: 'ready', view: result.value });
    setDraft(draftFromView(result.value));
    setSaved(true);
    useAppStore.getState().announce('Settings saved.');
  };

  const titleId = useId();
  const view = load.kind === 'ready' ? load.view : null;
  return (
    <Modal labelledBy={titleId} onClose={props.onClose} className="settings" testId="settings-dialog" initialFocus="[data-autofocus]">
      {/* The form only stops keys from reaching the board's shortcuts behind the dialog. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <form
        className="settings__form"
        onSubmit={(e) => void save(e)}
        noValidate
        onKeyDown={(e: KeyboardEvent<HTMLFormElement>) => {
          // While the dialog is open the board's shortcuts (Esc, ?, /, i, Ctrl+K) must not act
          // behind it. Tab still reaches the Modal, which keeps focus inside.
          if (e.key !== 'Tab') e.stopPropagation();
        }}
      >
        <h2 id={titleId} className="modal__title">
          Settings
        </h2>
        {load.kind === 'loading' ? (
          <p className="settings__loading" role="status">
            <span className="spinner" aria-hidden="true" /> Reading settings…
          </p>
        ) : load.kind === 'error' ? (
          <div className="settings__error" role="alert">
            <p>Release Board could not read its settings: {load.error.message}</p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setLoad({ kind: 'loading' });
                void fetchSettings();
              }}
            >
              Retry
            </button>
          </div>
        ) : draft && view ? (
          <div className="settings__body">
            <KubernetesSection draft={draft} errors={errors} edit={edit} focus={focusAfterRender} pendingExecPlugins={view.pendingExecPlugins} />
            <TokensSection draft={draft} edit={edit} />
            <HostsSection draft={draft} errors={errors} edit={edit} focus={focusAfterRender} restartRequired={view.restartRequired} environmentHosts={view.environmentForgeHosts} />
            <AppSection draft={draft} edit={edit} />
          </div>
        ) : null}
        {errors.form ? (
          <p className="settings__error settings__form-error" role="alert" tabIndex={-1} data-testid="settings-error">
            {errors.form}
          </p>
        ) : null}
        <div className="modal__actions settings__actions">
          <span className="settings__saved" role="status" aria-live="polite" data-testid="settings-saved">
            {saved ? 'Saved' : ''}
          </span>
          <button type="button" className="button" onClick={props.onClose}>
            {saved && draft && view && !isDirty(draft, view) ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="button button--primary" disabled={!draft || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** After a failed save the keyboard goes to the first field with a problem. */
const FIRST_ERROR = '[aria-invalid="true"], .settings__form-error';

type Edit = (change: (d: SettingsDraft) => SettingsDraft) => void;
type FocusRequest = (selector: string) => void;

function FieldError(props: { id: string; message: string | undefined }) {
  if (!props.message) return null;
  return (
    <span id={props.id} className="settings__field-error" role="alert">
      {props.message}
    </span>
  );
}

/** Main shows the command lines in its own dialog; the board reconnects once they are approved. */
async function approveExecPlugins(): Promise<void> {
  const result = await bridge.request('settings:approve-exec-plugins', undefined);
  useAppStore.getState().announce(result.ok ? 'Credential plugins approved; reconnecting.' : result.error.message);
}

/** Main opens its own file dialog; the chosen path comes back in the settings view. */
async function chooseKubeconfig(edit: Edit): Promise<void> {
  const result = await bridge.request('settings:choose-kubeconfig', undefined);
  if (result.ok) edit((d) => ({ ...d, kubeconfigPath: result.value.kubeconfigPath ?? '' }));
  else useAppStore.getState().announce(result.error.message);
}

function TokensSection(props: { draft: SettingsDraft; edit: Edit }) {
  const { draft, edit } = props;
  const id = useId();
  return (
    <fieldset className="settings__section">
      <legend className="settings__legend">Promotion tokens</legend>
      <label className="settings__check">
        <input type="checkbox" checked={draft.readPromotionSecrets === true} onChange={(e) => edit((d) => ({ ...d, readPromotionSecrets: e.target.checked }))} data-testid="settings-read-secrets" />
        <span>Read the promotion Secrets with my kubeconfig to show who is behind each token (tokens are sent only to the Git hosts below and your sign-in hosts)</span>
      </label>
      <div className="settings__field">
        <span className="settings__label" id={`${id}-approved`}>
          Approved Git hosts
        </span>
        {draft.approvedForgeHosts.length === 0 ? (
          <span className="settings__hint">None beyond your sign-in hosts. A host is approved from the Tokens view, where it is named.</span>
        ) : (
          <ul className="settings__rows" aria-labelledby={`${id}-approved`}>
            {draft.approvedForgeHosts.map((host) => (
              <li key={host} className="settings__row" data-testid="approved-host">
                <span className="mono">{host}</span>
                <button type="button" className="button button--small" onClick={() => edit((d) => ({ ...d, approvedForgeHosts: d.approvedForgeHosts.filter((h) => h !== host) }))}>
                  Remove {host}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </fieldset>
  );
}

function KubernetesSection(props: { draft: SettingsDraft; errors: FieldErrors; edit: Edit; focus: FocusRequest; pendingExecPlugins: string[] }) {
  const { draft, errors, edit } = props;
  const id = useId();
  const setOverride = (key: string, change: Partial<OverrideRow>) => edit((d) => ({ ...d, overrides: d.overrides.map((r) => (r.key === key ? { ...r, ...change } : r)) }));
  const addOverride = () => {
    const row = emptyOverride();
    edit((d) => ({ ...d, overrides: [...d.overrides, row] }));
    props.focus(`[data-row="${row.key}"] input`);
  };
  return (
    <fieldset className="settings__section">
      <legend className="settings__legend">Kubernetes</legend>
      <div className="settings__field">
        <span className="settings__label" id={`${id}-kubeconfig`}>
          Kubeconfig file
        </span>
        <span className="settings__input settings__input--mono settings__value control-surface" aria-labelledby={`${id}-kubeconfig`} data-testid="settings-kubeconfig">
          {draft.kubeconfigPath || 'KUBECONFIG or ~/.kube/config (default, like kubectl)'}
        </span>
        <span className="settings__buttons">
          <button type="button" className="button" data-autofocus onClick={() => void chooseKubeconfig(edit)} data-testid="settings-choose-kubeconfig">
            Choose file…
          </button>
          {draft.kubeconfigPath ? (
            <button type="button" className="button" onClick={() => edit((d) => ({ ...d, kubeconfigPath: '' }))} data-testid="settings-default-kubeconfig">
              Use the default
            </button>
          ) : null}
        </span>
        <span className="settings__hint">The file is picked in the system’s own dialog, so only you choose which credentials (and credential plugins) the board uses.</span>
        {props.pendingExecPlugins.length > 0 ? (
          <div className="settings__notice" data-testid="settings-exec-plugins">
            <p>This kubeconfig runs credential plugins that Release Board has not run before, so the clusters that need them stay disconnected:</p>
            <ul>
              {props.pendingExecPlugins.map((c) => (
                <li key={c} className="mono">
                  {c}
                </li>
              ))}
            </ul>
            <button type="button" className="button" onClick={() => void approveExecPlugins()} data-testid="settings-approve-exec">
              Review and run these plugins…
            </button>
          </div>
        ) : null}
        <FieldError id={`${id}-kubeconfig-error`} message={errors.kubeconfigPath} />
      </div>

      <div className="settings__field">
        <span className="settings__label" id={`${id}-overrides`}>
          Cluster contexts
        </span>
        <span className="settings__hint">Which kubeconfig context reaches a GitopsCluster, when its name is not enough.</span>
        {draft.overrides.length > 0 ? (
          <ul className="settings__rows" aria-labelledby={`${id}-overrides`}>
            {draft.overrides.map((row, i) => {
              const error = errors[`override:${row.key}`];
              const errorId = `${id}-override-${row.key}-error`;
              return (
                <li key={row.key} className="settings__row settings__row--override" data-row={row.key} data-testid="override-row">
                  <input
                    className="settings__input settings__input--mono control-surface"
                    type="text"
                    spellCheck={false}
                    autoComplete="off"
                    aria-label={`GitopsCluster ${i + 1}`}
                    placeholder="namespace/name"
                    value={row.cluster}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    onChange={(e) => setOverride(row.key, { cluster: e.target.value })}
                  />
                  <span className="settings__arrow" aria-hidden="true">
                    →
                  </span>
                  <input
                    className="settings__input settings__input--mono control-surface"
                    type="text"
                    spellCheck={false}
                    autoComplete="off"
                    aria-label={`Context for GitopsCluster ${i + 1}`}
                    placeholder="kubeconfig context"
                    value={row.context}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    onChange={(e) => setOverride(row.key, { context: e.target.value })}
                  />
                  <button
                    type="button"
                    className="button button--ghost settings__remove"
                    aria-label={`Remove cluster context ${row.cluster || i + 1}`}
                    onClick={() => edit((d) => ({ ...d, overrides: d.overrides.filter((r) => r.key !== row.key) }))}
                  >
                    Remove
                  </button>
                  <FieldError id={errorId} message={error} />
                </li>
              );
            })}
          </ul>
        ) : null}
        <div>
          <button type="button" className="button" onClick={addOverride}>
            Add cluster context
          </button>
        </div>
      </div>

      <label className="settings__check">
        <input type="checkbox" checked={draft.readGitopsClusterSecrets} onChange={(e) => edit((d) => ({ ...d, readGitopsClusterSecrets: e.target.checked }))} />
        <span>Reach clusters without a kubeconfig context through their GitopsCluster’s kubeconfig Secret (needs permission to read those Secrets)</span>
      </label>
    </fieldset>
  );
}

/**
 * Says plainly when a sign-in produced a token that never expires (a GitHub OAuth app): it stays
 * valid until sign-out or quit revokes it, so a GitHub App (8-hour tokens) is the safer choice.
 */
function NonExpiringSessions() {
  const sessions = useAppStore((s) => s.sessions);
  const lasting = sessions.filter((s) => s.state === 'signed-in' && s.expiresAt === null);
  if (lasting.length === 0) return null;
  return (
    <p className="settings__notice" data-testid="settings-non-expiring">
      {lasting.map((s) => s.host).join(', ')} gave you a token that does not expire (an OAuth app). Release Board keeps it in memory only and revokes it when you sign out or quit, but while the app
      runs it stays valid. Ask your administrator for a GitHub App instead: its user tokens expire after 8 hours.
    </p>
  );
}

function HostsSection(props: { draft: SettingsDraft; errors: FieldErrors; edit: Edit; focus: FocusRequest; restartRequired: boolean; environmentHosts: EnvironmentForgeHost[] }) {
  const { draft, errors, edit } = props;
  const id = useId();
  const capabilities = useAppStore((s) => s.forgeCapabilities);
  const setHost = (key: string, change: Partial<HostRow>) => edit((d) => ({ ...d, hosts: d.hosts.map((h) => (h.key === key ? { ...h, ...change } : h)) }));
  const addHost = () => {
    const row = emptyHost();
    edit((d) => ({ ...d, hosts: [...d.hosts, row] }));
    props.focus(`[data-row="${row.key}"] select`);
  };
  return (
    <fieldset className="settings__section">
      <legend className="settings__legend">Git hosts</legend>
      <span className="settings__hint">GitHub Enterprise Server or GitLab instances to sign in to, each with its OAuth application. github.com needs no entry.</span>
      {props.restartRequired ? (
        <p className="settings__notice" data-testid="settings-restart">
          Git host changes apply after Release Board restarts.
        </p>
      ) : null}
      <EnvironmentHosts hosts={props.environmentHosts} />
      <NonExpiringSessions />
      {draft.hosts.length > 0 ? (
        <ul className="settings__hosts">
          {draft.hosts.map((host, i) => {
            const f = (name: string) => `${id}-${host.key}-${name}`;
            const err = (name: string) => errors[`host:${host.key}:${name}`];
            const described = (name: string, hint?: string) => [hint, err(name) ? `${f(name)}-error` : undefined].filter(Boolean).join(' ') || undefined;
            return (
              <li key={host.key} className="settings__host" data-row={host.key} data-testid="host-row" aria-label={`Git host ${i + 1}`}>
                <div className="settings__host-grid">
                  <label htmlFor={f('type')}>Type</label>
                  <select id={f('type')} className="settings__input control-surface" value={host.type} onChange={(e) => setHost(host.key, { type: e.target.value as HostRow['type'] })}>
                    {forgeTypeOptions(capabilities, host.type).map((c) => (
                      <option key={c.type} value={c.type}>
                        {c.label}
                      </option>
                    ))}
                  </select>

                  <label htmlFor={f('webUrl')}>Web URL</label>
                  <div>
                    <input
                      id={f('webUrl')}
                      className="settings__input settings__input--mono control-surface"
                      type="url"
                      spellCheck={false}
                      autoComplete="off"
                      placeholder={capabilitiesOf(capabilities, host.type)?.exampleWebUrl ?? 'https://git.example.com'}
                      value={host.webUrl}
                      aria-invalid={err('webUrl') ? true : undefined}
                      aria-describedby={described('webUrl')}
                      onChange={(e) => setHost(host.key, { webUrl: e.target.value })}
                    />
                    <FieldError id={`${f('webUrl')}-error`} message={err('webUrl')} />
                  </div>

                  <label htmlFor={f('clientId')}>Client id</label>
                  <div>
                    <input
                      id={f('clientId')}
                      className="settings__input settings__input--mono control-surface"
                      type="text"
                      spellCheck={false}
                      autoComplete="off"
                      value={host.clientId}
                      aria-invalid={err('clientId') ? true : undefined}
                      aria-describedby={described('clientId')}
                      onChange={(e) => setHost(host.key, { clientId: e.target.value })}
                    />
                    <FieldError id={`${f('clientId')}-error`} message={err('clientId')} />
                  </div>

                  <label htmlFor={f('secret')}>Client secret</label>
                  <div>
                    <div className="settings__secret">
                      <input
                        id={f('secret')}
                        className="settings__input settings__input--mono control-surface"
                        type="password"
                        spellCheck={false}
                        autoComplete="off"
                        value={host.secret}
                        placeholder={host.hasClientSecret ? 'stored — leave blank to keep' : 'optional'}
                        aria-invalid={err('secret') ? true : undefined}
                        aria-describedby={described('secret', host.hasClientSecret ? `${f('secret')}-stored` : undefined)}
                        onChange={(e) => setHost(host.key, { secret: e.target.value })}
                      />
                      {host.hasClientSecret ? (
                        <span id={`${f('secret')}-stored`} className="settings__stored" data-testid="secret-stored">
                          stored
                        </span>
                      ) : null}
                    </div>
                    <FieldError id={`${f('secret')}-error`} message={err('secret')} />
                  </div>
                </div>
                <button
                  type="button"
                  className="button button--ghost settings__remove"
                  aria-label={`Remove Git host ${host.webUrl || i + 1}`}
                  onClick={() => edit((d) => ({ ...d, hosts: d.hosts.filter((h) => h.key !== host.key) }))}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div>
        <button type="button" className="button" onClick={addHost}>
          Add Git host
        </button>
      </div>
    </fieldset>
  );
}

function AppSection(props: { draft: SettingsDraft; edit: Edit }) {
  const { draft, edit } = props;
  return (
    <fieldset className="settings__section">
      <legend className="settings__legend">App</legend>
      <ThemeField />
      <label className="settings__check">
        <input type="checkbox" checked={draft.checkUpdatesAutomatically} onChange={(e) => edit((d) => ({ ...d, checkUpdatesAutomatically: e.target.checked }))} />
        <span>Check for updates automatically</span>
      </label>
      <label className="settings__check">
        <input type="checkbox" checked={draft.notifyPromotions} onChange={(e) => edit((d) => ({ ...d, notifyPromotions: e.target.checked }))} />
        <span>Notify me when a promotion pull request merges or a rollout finishes</span>
      </label>
    </fieldset>
  );
}
