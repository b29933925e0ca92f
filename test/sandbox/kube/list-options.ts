// Checks of the list and watch query parameters that the real server validates before serving
// (k8s.io/apimachinery/pkg/apis/meta/internalversion/validation), answered with the same
// 422 ListOptions.meta.k8s.io "" is invalid bodies.

import { invalid, type KubeApiError } from './status.js';

interface Cause {
  field: string;
  message: string;
  reason: string;
}

const forbidden = (field: string, why: string): Cause => ({ field, message: `Forbidden: ${why}`, reason: 'FieldValueForbidden' });
const notSupported = (field: string, value: string, supported: string[]): Cause => ({
  field,
  message: `Unsupported value: "${value}": supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  reason: 'FieldValueNotSupported',
});

/** The 422 a real server answers for these list/watch options, or undefined when they are valid. */
export function listOptionsError(query: URLSearchParams, isWatch: boolean): KubeApiError | undefined {
  const match = query.get('resourceVersionMatch') ?? '';
  const rv = query.get('resourceVersion') ?? '';
  const hasContinue = (query.get('continue') ?? '') !== '';
  const sendInitialEvents = query.get('sendInitialEvents');
  const causes: Cause[] = [];
  if (isWatch) {
    if (sendInitialEvents !== null && match !== 'NotOlderThan') {
      causes.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (match !== '') {
      if (sendInitialEvents === null) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') causes.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (hasContinue) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match !== '') {
      if (rv === '') causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (hasContinue) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan') causes.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && rv === '0') causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (sendInitialEvents !== null) causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  return causes.length > 0 ? invalid('meta.k8s.io', 'ListOptions', '', causes) : undefined;
}
