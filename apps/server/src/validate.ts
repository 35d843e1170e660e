import type { z } from 'zod';
import { AppError } from './errors.js';

/** Parses untrusted input; any mismatch is INVALID_INPUT with the offending fields named. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw invalidInput(r.error);
}

/**
 * The same for a schema known by its output type only, in code generic over several schemas
 * (the socket's one handler for every counter action).
 */
export function parseAs<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw invalidInput(r.error);
}

function invalidInput(error: z.ZodError): AppError {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  return new AppError('INVALID_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}
