// Public surface of src-main/auth: forge hosts, the session vault, browser/device sign-in.
export { createAuthService, type AuthService, type AuthServiceOptions } from './auth-service';
export {
  FORGE_HOST_TYPES,
  forgeEndpoints,
  forgeHostFrom,
  ForgeHostError,
  githubDotCom,
  githubEnterpriseHost,
  gitlabDotCom,
  gitlabHost,
  requestedScopes,
  resolveRepoUrl,
  summarizeHost,
  validateForgeHost,
  type ForgeEndpoints,
  type ForgeHostConfig,
  type ForgeHost,
  type ForgeHostType,
} from '../forges/forge-host';
export { startLoopbackSignIn, type CodeExchange } from './loopback-sign-in';
export { SignInFailure, type OpenExternal } from './sign-in-failure';
export { startDeviceSignIn } from './device-sign-in';
export { createSessionVault, SignInRequiredError, type SessionVault, type SessionVaultOptions } from './session-vault';
export { systemTimers, type Timers } from './timers';
