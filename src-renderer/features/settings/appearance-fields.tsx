// Settings pieces that are not part of the Save form: the theme, applied (and remembered by
// main) the moment it is picked, and the Git hosts the environment configures, which the app
// lists but cannot change.
import { useId } from 'react';
import { THEME_CHOICES, type EnvironmentForgeHost, type ThemeChoice } from '../../../src-main/common/settings';
import { useAppStore } from '../../store/store';
import './appearance-fields.css';

const themeWords: Record<ThemeChoice, string> = { system: 'Like the system', light: 'Light', dark: 'Dark' };

export function ThemeField() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const name = useId();
  return (
    <div className="settings__field" role="radiogroup" aria-labelledby={`${name}-label`} data-testid="settings-theme">
      <span className="settings__label" id={`${name}-label`}>
        Theme
      </span>
      <div className="settings__theme-choices">
        {THEME_CHOICES.map((choice) => (
          <label key={choice} className="settings__check">
            <input type="radio" name={name} value={choice} checked={theme === choice} onChange={() => void setTheme(choice)} data-testid={`theme-${choice}`} />
            <span>{themeWords[choice]}</span>
          </label>
        ))}
      </div>
      <span className="settings__hint">Applies at once and is remembered; no need to save.</span>
    </div>
  );
}

export function EnvironmentHosts(props: { hosts: EnvironmentForgeHost[] }) {
  const id = useId();
  if (props.hosts.length === 0) return null;
  return (
    <div className="settings__field" data-testid="settings-env-hosts">
      <span className="settings__label" id={`${id}-label`}>
        From the environment (read-only)
      </span>
      <ul className="settings__rows settings__env-hosts" aria-labelledby={`${id}-label`}>
        {props.hosts.map((h) => (
          <li key={h.id} className="settings__row settings__env-host" data-testid="env-host">
            <span className="settings__env-host-url">{h.webUrl}</span>
            <span className="muted">
              {h.type === 'gitlab' ? 'GitLab' : 'GitHub'} · client {h.clientId}
            </span>
            <code className="settings__env-host-var">{h.variable}</code>
          </li>
        ))}
      </ul>
      <span className="settings__hint">Change these where Release Board is started: they are set by environment variables.</span>
    </div>
  );
}
