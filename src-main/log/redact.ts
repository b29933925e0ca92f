// Secret redaction for everything that is logged. Security model: callers should never
// pass a secret to the logger at all; this is the second line of defence for the shapes
// we know (forge tokens, bearer headers, JWTs, kubeconfig credential fields).

const tokenPatterns: RegExp[] = [
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,255}\b/g, // GitHub classic/OAuth/user/installation/refresh
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g, // GitHub fine-grained
  /\bglpat-[A-Za-z0-9_-]{16,255}\b/g, // GitLab personal access token
  /\bgl(?:oas|rt|ft|soat)-[A-Za-z0-9_-]{16,255}\b/g, // other GitLab token shapes
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, // JWTs (service-account tokens, OIDC)
  /\bk8s-aws-v1\.[A-Za-z0-9_-]{20,}/g, // EKS tokens from `aws eks get-token` (a presigned STS URL)
  // GitLab OAuth access and refresh tokens are 64 hex characters; an OCI digest (sha256:<hex>)
  // has the same shape but is public and useful in logs, so it is kept.
  /(?<!sha256:)(?<![0-9A-Fa-f])[0-9a-f]{64}(?![0-9A-Fa-f])/g,
];

/** Credentials inside URLs: https://user:pass@host/… */
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi;

/** OAuth parameters in query strings and form bodies. */
const oauthParameter = /\b(code|device_code|refresh_token|access_token|code_verifier|client_secret|id_token)=([^\s&"']+)/gi;

const labelledSecret =
  /\b(authorization|bearer|token|access_token|refresh_token|client_secret|password|code_verifier|client-key-data|id-token)(["']?\s*[:=]\s*["']?|\s+)(?:bearer\s+|token\s+|basic\s+)?([^\s"'&,;}]{6,})/gi;

export const redactedMarker = '[REDACTED]';

export function redactSecrets(text: string): string {
  let out = text.replace(urlCredentials, `$1${redactedMarker}@`);
  out = out.replace(oauthParameter, (_m, name: string) => `${name}=${redactedMarker}`);
  for (const pattern of tokenPatterns) out = out.replace(pattern, redactedMarker);
  out = out.replace(labelledSecret, (_m, label: string, sep: string, value: string) => (value === redactedMarker ? `${label}${sep}${value}` : `${label}${sep}${redactedMarker}`));
  return out;
}
