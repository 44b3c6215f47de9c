import type { Localized } from './i18n';
import { NEXT_CURSOR_HEADER, pageOf } from './paging';
import type { Page } from './paging';

/** Calls to the platform's API on this origin, with the signed-in user's token from this tab's session. */
let tokenKey = 'cashless.officerToken';

/** The shop owner's pages keep their token apart from an officer's in the same browser. */
export function setTokenKey(key: string): void {
  tokenKey = key;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly text: Localized,
    readonly fields: { field: string; message: Localized }[] = [],
    /** The API's error code (`validation_failed`, `ambiguous_login`…) and its details, as sent. */
    readonly code: string | null = null,
    readonly details: unknown = null,
  ) {
    super(text.en);
  }
}

/** The signed-in user's token (officer, or shop owner on the shop owner's page). */
export function sessionToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export const officerToken = sessionToken;

export function forgetToken(): void {
  sessionStorage.removeItem(tokenKey);
}

async function failureOf(response: Response): Promise<ApiFailure> {
  try {
    const body = (await response.json()) as {
      error?: {
        code?: string;
        message?: string;
        messageVi?: string;
        details?: { fields?: { field: string; message: Localized }[] };
      };
    };
    const en = body.error?.message ?? `HTTP ${response.status}`;
    return new ApiFailure(
      response.status,
      { vi: body.error?.messageVi ?? en, en },
      body.error?.details?.fields ?? [],
      body.error?.code ?? null,
      body.error?.details ?? null,
    );
  } catch {
    return new ApiFailure(response.status, { vi: `Lỗi HTTP ${response.status}`, en: `HTTP ${response.status}` });
  }
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const token = sessionToken();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, { vi: 'Không kết nối được máy chủ', en: 'The server cannot be reached' });
  }
  if (response.status === 401) forgetToken();
  if (!response.ok) throw await failureOf(response);
  return response;
}

export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await call('GET', path)).json()) as T;
}

/**
 * One page of a list, whichever way its service pages: `{ data, nextCursor }` in the body
 * (payment) or the rows with an `x-next-cursor` header (merchant).
 */
export async function getPage<T>(path: string): Promise<Page<T>> {
  const response = await call('GET', path);
  return pageOf<T>(await response.json(), response.headers.get(NEXT_CURSOR_HEADER));
}

export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T | null> {
  const response = await call(method, path, body, headers);
  return response.status === 204 ? null : ((await response.json()) as T);
}

/** Downloads a file the API answers (an export) under its own name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await call('GET', path);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface LoginAnswer {
  token: string;
  expiresAt: string;
  role?: 'officer' | 'merchant';
  merchantId?: string;
}

/** Login (officer, or shop owner by phone): the token lives in this tab's session storage only. */
export async function login(username: string, password: string): Promise<LoginAnswer> {
  const response = await call('POST', '/auth/login', { username, password });
  const answer = (await response.json()) as LoginAnswer;
  sessionStorage.setItem(tokenKey, answer.token);
  return answer;
}

/** Remembers a token obtained another way (right after registration). */
export function keepToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}
