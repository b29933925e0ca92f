// Public surface of the GitLab sandbox forge (GitLab REST v4 + OAuth look-alike).
export { startGitLabForge } from './server.js';
export type { GitLabForge, GitLabForgeFaults, GitLabFaultFilter, GitLabRequestLog, GitLabRequestLogEntry, GitLabStateApi, StartGitLabForgeOptions } from './server.js';
export { botUsername, gitlabTokenValue } from './state.js';
export type { GitLabToken, GitLabUser, MergeRequestState, PipelineState } from './state.js';
export { redirectUriMatches, ACCESS_TOKEN_TTL_S } from './oauth.js';
