// Results cross process boundaries as plain data: exceptions never do.
// An error carries a stable code (for logic and tests) and a human message (for the UI).

import type { AppError, AppErrorCode } from './app-error';

export type { AppError, AppErrorCode };

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: AppErrorCode, message: string, hint?: string): Result<T> {
  return { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } };
}
