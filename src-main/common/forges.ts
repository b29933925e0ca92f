// What the renderer may know about each forge kind, published by main (forges:list-capabilities)
// from its forge registry, so the renderer keeps no list of its own. Pure data, no URLs of
// any host and nothing secret.

import type { ForgeHostType } from './session';

export interface ForgeCapabilities {
  type: ForgeHostType;
  /** "GitHub", "GitLab". */
  label: string;
  /** What this forge calls a pull request: "pull request", "merge request". */
  pullRequestNoun: string;
  /** Its short form: "PR", "MR". */
  pullRequestShort: string;
  /** How its references are numbered: "#" (GitHub #12), "!" (GitLab !12). */
  pullRequestPrefix: string;
  /** Whether sign-in may use a device code instead of the browser redirect. */
  deviceFlow: boolean;
  /** Whether the forge tells when a token was last used (GitHub never does). */
  reportsTokenLastUse: boolean;
  /** Pipeline pull-request strategy `type` values this forge promotes through. */
  strategyProviders: string[];
  /** A web address to show as an example for a self-hosted instance. */
  exampleWebUrl: string;
}
