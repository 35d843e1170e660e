import { ApiError, createHttpClient, type Method as ClientMethod } from '@luot/client';

/**
 * The admin pages' calls, through @luot/client's HTTP client like every other page (same
 * ApiError), plus file downloads. An invalid form names its wrong fields in the Vietnamese line
 * too (the English message from the server already does).
 */
export type Method = Extract<ClientMethod, 'GET' | 'POST' | 'PATCH'>;

const http = createHttpClient({ timeoutMs: 30_000 });

function withFields(e: unknown): unknown {
  if (!(e instanceof ApiError) || !e.issues?.length) return e;
  const fields = [...new Set(e.issues.map((i) => i.path))].filter(Boolean).join(', ');
  return fields ? new ApiError(e.status, { ...e.body, messageVi: `${e.messageVi} (${fields})` }) : e;
}

export async function adminApi<T>(method: Method, path: string, token: string, body?: unknown): Promise<T> {
  try {
    return await http.request<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });
  } catch (e) {
    throw withFields(e);
  }
}

/**
 * Downloads a file that needs the Bearer header (a plain link cannot carry it): fetch, then save
 * through a Blob URL and a temporary <a download>.
 */
export async function downloadFile(path: string, token: string, fallbackName: string): Promise<void> {
  const res = await http.response('GET', path, { token }).catch((e: unknown) => {
    throw withFields(e);
  });
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
