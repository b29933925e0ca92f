// What every Octokit we build for GitHub shares: our user agent, and a logger that stays quiet
// (errors reach the caller as values and go through our own redacting logger, never Octokit's
// console output).

export const USER_AGENT = 'release-board';

export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
