// The rollout of the latest merged promotion PR into an environment: a compact badge for the
// cell and the timestamped steps for the detail panel. Main derives it; this only draws it.
import type { RolloutTimeline } from '../../../src-main/common/board';
import { SafeLink } from '../../components/safe-link';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import { rolloutIndicator, rolloutSteps } from './rollout-words';
import { useCompactRows } from './use-compact-rows';
import './rollout.css';

export function RolloutBadge(props: { rollout: RolloutTimeline; provider: string | undefined }) {
  const { text, short, tone } = rolloutIndicator(props.rollout);
  const words = useChangeRequestWords(props.provider);
  const merged = `${words.ref(props.rollout.pr.number)} merged ${new Date(props.rollout.mergedAt).toLocaleString()}`;
  // compact rows have room for the short form only: the whole sentence is in the title and read out
  const compact = useCompactRows();
  return (
    <span className={`badge rollout-badge rollout-badge--${tone}`} data-testid="rollout-badge" data-state={props.rollout.state} title={compact ? `${text} — ${merged}` : merged}>
      {compact ? (
        <>
          <span aria-hidden="true">{short}</span>
          <span className="visually-hidden">{text}</span>
        </>
      ) : (
        text
      )}
    </span>
  );
}

function clock(at: string): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function RolloutTimelineList(props: { rollout: RolloutTimeline; provider: string | undefined }) {
  const { rollout } = props;
  const words = useChangeRequestWords(props.provider);
  const steps = rolloutSteps(rollout, words.ref(rollout.pr.number));
  return (
    <>
      <h3 className="detail-panel__section">
        Rollout of {rollout.version} — <SafeLink href={rollout.pr.url}>{words.ref(rollout.pr.number)}</SafeLink>
      </h3>
      <ol className="rollout-timeline" data-testid="rollout-timeline" data-state={rollout.state}>
        {steps.map((s, i) => (
          <li key={i} className={`rollout-timeline__step rollout-timeline__step--${s.tone}`} data-testid="rollout-step">
            <time className="rollout-timeline__time" dateTime={s.at} title={s.at ? new Date(s.at).toLocaleString() : undefined}>
              {s.at ? clock(s.at) : '—'}
            </time>
            <span>{s.text}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
