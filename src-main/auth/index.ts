// Public surface of src-main/auth: forge hosts, the session vault, browser/device sign-in.
export { createAuthService, type AuthService, type AuthServiceOptions } from './auth-service';
export { forgeEndpoints, ForgeHostError, githubDotCom, githubEnterpriseHost, resolveRepoUrl, summarizeHost, validateForgeHost, type ForgeHost } from './forge-host';
export { SignInFailure, startLoopbackSignIn, type OpenExternal } from './loopback-sign-in';
export { startDeviceSignIn } from './device-sign-in';
export { createSessionVault, SignInRequiredError, type SessionVault, type SessionVaultOptions } from './session-vault';
export { systemTimers, type Timers } from './timers';
