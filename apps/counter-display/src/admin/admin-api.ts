import { ApiError, createHttpClient, type CallArgs, type CallResult, type FileRoute } from '@luot/client';
import type { RouteDef } from '@luot/protocol';

/**
 * The admin pages' calls, through @luot/client's HTTP client like every other page (same
 * ApiError), each naming its route in the protocol's table, plus file downloads. An invalid form
 * names its wrong fields in the Vietnamese line too (the English message from the server already
 * does).
 */
function withFields(e: unknown): unknown {
  if (!(e instanceof ApiError) || !e.issues?.length) return e;
  const fields = [...new Set(e.issues.map((i) => i.path))].filter(Boolean).join(', ');
  return fields ? new ApiError(e.status, { ...e.body, messageVi: `${e.messageVi} (${fields})` }) : e;
}

export interface AdminClient {
  call<R extends RouteDef>(route: R, ...input: CallArgs<R>): Promise<CallResult<R>>;
  download<R extends FileRoute>(route: R, ...input: CallArgs<R>): Promise<Response>;
}

/** The admin's calls with their token (30 s: a year's report takes a while on a small server). */
export function adminClient(token: string): AdminClient {
  const http = createHttpClient({ timeoutMs: 30_000, token: () => token });
  const fields = (e: unknown) => {
    throw withFields(e);
  };
  return {
    call: (route, ...input) => http.call(route, ...input).catch(fields),
    download: (route, ...input) => http.download(route, ...input).catch(fields),
  };
}

/**
 * Downloads a file that needs the Bearer header (a plain link cannot carry it): fetch, then save
 * through a Blob URL and a temporary <a download>.
 */
export async function downloadFile(answer: Promise<Response>, fallbackName: string): Promise<void> {
  const res = await answer;
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
