import type { ErrorCode } from '@luot/protocol';
import { ERRORS } from '@luot/protocol';
import { ApiError } from '../lib/api.js';

/**
 * The admin pages' calls. `lib/api.ts` only speaks GET and POST (all the counter needs); the
 * admin API also PATCHes, and downloads files, so it gets its own small wrapper with the same
 * error shape (messageVi first, message second).
 */
export type Method = 'GET' | 'POST' | 'PATCH';

async function send(method: Method, path: string, token: string, body?: unknown, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept, authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: 'Cannot reach the server.', messageVi: 'Không kết nối được máy chủ.' });
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

async function errorOf(res: Response): Promise<ApiError> {
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // Not JSON (a proxy's error page): fall back to the status.
  }
  const e = (json as { error?: { code?: unknown; message?: unknown; messageVi?: unknown; issues?: unknown } } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    // The English message already names the wrong fields; name them in the Vietnamese line too.
    const fields = Array.isArray(e.issues) ? [...new Set(e.issues.map((i: { path?: unknown }) => String(i?.path ?? '')))].filter(Boolean).join(', ') : '';
    const vi = typeof e.messageVi === 'string' ? e.messageVi : e.message;
    return new ApiError(res.status, { code: e.code as ErrorCode, message: e.message, messageVi: fields ? `${vi} (${fields})` : vi });
  }
  const code = res.status === 401 ? 'UNAUTHORIZED' : res.status === 403 ? 'FORBIDDEN' : res.status === 404 ? 'NOT_FOUND' : 'INTERNAL';
  return new ApiError(res.status, { code, message: ERRORS[code].en, messageVi: ERRORS[code].vi });
}

export async function adminApi<T>(method: Method, path: string, token: string, body?: unknown): Promise<T> {
  const res = await send(method, path, token, body);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * Downloads a file that needs the Bearer header (a plain link cannot carry it): fetch, then save
 * through a Blob URL and a temporary <a download>.
 */
export async function downloadFile(path: string, token: string, fallbackName: string): Promise<void> {
  const res = await send('GET', path, token, undefined, '*/*');
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: Chromium reads the blob after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
