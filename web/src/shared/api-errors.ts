// Turns whatever a failed API call threw into a message a person can act on.
// The Cube client throws RequestError with the parsed response body; its own
// message is "[object Object]" when the body's `error` is not a string, so the
// body is read here rather than trusting error.message.
import { RequestError } from '@cubejs-client/core';

export type ApiProblem =
  | { kind: 'session-expired'; text: string }
  | { kind: 'scope-missing'; scope: string; text: string }
  | { kind: 'message'; text: string; status?: number };

/** Thrown by the token supplier when there is no live session to take a token from. */
export class SessionExpiredError extends Error {
  constructor() {
    super('Your session has expired — sign in again');
    this.name = 'SessionExpiredError';
  }
}

// What each of Cube's API scopes opens, in the user's words.
const SCOPE_USE: Record<string, string> = {
  data: 'the data (queries)',
  meta: 'the data model',
  sql: 'the generated SQL',
};

export const SESSION_EXPIRED_TEXT = 'Your session has expired — sign in again';

// Tessera (like Cube) answers a missing, expired or otherwise rejected token
// with 403 and one of these texts; 401 is treated the same way.
const TOKEN_REJECTED = ['invalid token', "authorization header isn't set"];

export function describeApiError(error: unknown): ApiProblem {
  if (error instanceof SessionExpiredError) return { kind: 'session-expired', text: SESSION_EXPIRED_TEXT };
  const status = statusOf(error);
  const serverText = serverMessageOf(error);
  if (status === 401 || (status === 403 && TOKEN_REJECTED.includes(serverText.toLowerCase()))) {
    return { kind: 'session-expired', text: SESSION_EXPIRED_TEXT };
  }
  const scope = /API scope is missing: *(\S+)/i.exec(serverText)?.[1];
  if (status === 403 && scope) {
    return { kind: 'scope-missing', scope, text: `Your account may not use ${SCOPE_USE[scope] ?? scope} (API scope “${scope}” is missing)` };
  }
  const text = serverText || 'The request failed';
  return status === undefined ? { kind: 'message', text } : { kind: 'message', text, status };
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof RequestError) return error.status;
  if (error instanceof HttpError) return error.status;
  return undefined;
}

/** The server's own words: `error` of a JSON body, else any text we were given. */
export function serverMessageOf(error: unknown): string {
  const body = error instanceof RequestError || error instanceof HttpError ? error.response : undefined;
  const fromBody = messageFromBody(body);
  if (fromBody) return fromBody;
  if (error instanceof Error && error.message && error.message !== '[object Object]') return error.message;
  if (typeof error === 'string') return error;
  return '';
}

function messageFromBody(body: unknown): string {
  if (typeof body === 'string') return body.trim();
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>).error ?? (body as Record<string, unknown>).message;
  if (typeof value === 'string') return value;
  if (value !== undefined) return JSON.stringify(value);
  return '';
}

/** A non-2xx answer from one of the non-Cube endpoints (the playground's). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly response: unknown,
  ) {
    super(messageFromBody(response) || `HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** fetch() a JSON endpoint; throws HttpError with the parsed body when it fails. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text so the message shows what the server said.
  }
  if (!response.ok) throw new HttpError(response.status, body);
  return body as T;
}
