// Builders for the metav1.Status error bodies the real API server answers with. Clients
// (kubectl, @kubernetes/client-node) read `reason`, `code` and `message`, so the wording and
// shape follow the real server closely; a KubeApiError carries one through the code paths.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  toStatus(): KubeStatus {
    return statusBody(this.code, this.reason, this.message, this.details);
  }
}

export function statusBody(code: number, reason: string, message: string, details?: StatusDetails): KubeStatus {
  const body: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details && Object.keys(details).length > 0) body.details = details;
  return body;
}

/** What an error message calls a resource: "secrets" in core, "pipelines.pipelines.weave.works" elsewhere. */
export function qualifiedResource(group: string, plural: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

function detailsFor(group: string, plural: string, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined) d.name = name;
  if (group !== '') d.group = group;
  d.kind = plural;
  return d;
}

export function notFound(group: string, plural: string, name: string): KubeApiError {
  return new KubeApiError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, detailsFor(group, plural, name));
}

export function alreadyExists(group: string, plural: string, name: string): KubeApiError {
  return new KubeApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, detailsFor(group, plural, name));
}

export function conflict(group: string, plural: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): KubeApiError {
  return new KubeApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, detailsFor(group, plural, name));
}

export function invalid(group: string, kind: string, name: string, causes: { field: string; message: string; reason: string }[]): KubeApiError {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const summary = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${qualifiedKind} "${name}" is invalid: ${summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`}`;
  const details: StatusDetails = { name };
  if (group !== '') details.group = group;
  details.kind = kind;
  details.causes = causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field }));
  return new KubeApiError(422, 'Invalid', message, details);
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, 'BadRequest', message);
}

export function expired(message: string): KubeApiError {
  return new KubeApiError(410, 'Expired', message);
}

export function unsupportedMediaType(accepted: string[]): KubeApiError {
  return new KubeApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

export function methodNotAllowed(): KubeApiError {
  return new KubeApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function resourceNotFound(): KubeApiError {
  return new KubeApiError(404, 'NotFound', 'the server could not find the requested resource');
}

export function unauthorized(): KubeApiError {
  return new KubeApiError(401, 'Unauthorized', 'Unauthorized');
}

/** A Status for an injected fault with the reason the real server uses for that code. */
export function faultStatus(code: number, message?: string): KubeStatus {
  const reasons: Record<number, [string, string]> = {
    400: ['BadRequest', 'bad request'],
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', 'forbidden'],
    404: ['NotFound', 'the server could not find the requested resource'],
    409: ['Conflict', 'the object has been modified; please apply your changes to the latest version and try again'],
    410: ['Expired', 'too old resource version'],
    422: ['Invalid', 'the request is invalid'],
    429: ['TooManyRequests', 'Too many requests, please try again later.'],
    500: ['InternalError', 'Internal error occurred: injected fault'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  const [reason, text] = reasons[code] ?? ['InternalError', `injected fault ${code}`];
  const details: StatusDetails | undefined = code === 429 ? { retryAfterSeconds: 1 } : undefined;
  return statusBody(code, reason, message ?? text, details);
}
