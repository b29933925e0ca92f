// Public surface of the sandbox forge (GitHub Enterprise Server look-alike).
export { startForge, formatExpiration } from './server.js';
export type { Forge, ForgeFaults, ForgeStateApi, FaultFilter, RequestLog, RequestLogEntry, StartForgeOptions } from './server.js';
export type { CommitEvent, CommitListener, PullState } from './state.js';
export type { CallbackHostRule } from './oauth.js';
export { ZERO_SHA } from './git-objects.js';
