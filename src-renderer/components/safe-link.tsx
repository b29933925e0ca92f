// A link to a URL that came from outside (a forge's PR URL, an avatar page, a verification
// URI). Only https — or http to a loopback address, which never leaves the machine — becomes
// a link; anything else (javascript:, data:, file:) is shown as plain text. This does not rely
// on React's URL filtering, the CSP or the desktop app's navigation guard, though all three
// stay in place behind it.
import type { ReactNode } from 'react';
import { isHttpsOrLoopback, parseUrlWithoutCredentials } from '../../src-main/common/web-url';

export function safeExternalUrl(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const url = parseUrlWithoutCredentials(raw);
  return url && isHttpsOrLoopback(url) ? url.toString() : undefined;
}

export function SafeLink(props: { href: string | undefined | null; children: ReactNode; className?: string; testId?: string }) {
  const href = safeExternalUrl(props.href);
  if (!href)
    return (
      <span className={props.className} data-testid={props.testId} title="Not a web address Release Board will open">
        {props.children}
      </span>
    );
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" className={props.className} data-testid={props.testId}>
      {props.children}
    </a>
  );
}
