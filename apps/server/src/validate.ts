import type { z } from 'zod';
import { AppError } from './errors.js';

/** Parses untrusted input; any mismatch is INVALID_INPUT with the offending fields named. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  throw new AppError('INVALID_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}
