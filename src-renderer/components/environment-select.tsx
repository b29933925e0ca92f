// A <select> of environment names, shared by the board's batch bar and the release log. With
// `allLabel` it leads with an "all environments" choice whose value is the empty string.
export function EnvironmentSelect(props: { value: string; names: readonly string[]; onChange(name: string): void; allLabel?: string; ariaLabel?: string; testId: string }) {
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={props.ariaLabel} data-testid={props.testId}>
      {props.allLabel !== undefined ? <option value="">{props.allLabel}</option> : null}
      {props.names.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  );
}
