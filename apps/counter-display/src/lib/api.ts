import { ApiError, createHttpClient, toApiError, type CallArgs, type CallResult } from '@luot/client';
import type { RouteDef } from '@luot/protocol';

/**
 * The pages' HTTP calls, through @luot/client's one HTTP client: same origin (the server serves
 * these pages, so `/api/v1` is always beside them), a timeout, and one ApiError (status, code,
 * message, messageVi; NETWORK or TIMEOUT when no answer came), which screens show Vietnamese first.
 * Each call names its route in the protocol's table (`api(ROUTES.openCounter, { token, params:
 * { id } })`), which types its input and its answer.
 */
export { ApiError, toApiError };

const http = createHttpClient();

export function api<R extends RouteDef>(route: R, ...input: CallArgs<R>): Promise<CallResult<R>> {
  return http.call(route, ...input);
}
