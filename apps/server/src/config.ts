import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  logLevel: string;
  maxSocketsPerAddress: number;
}

/** Start-up settings from the environment (documented in docs/operations and api.md). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.LUOT_DATA_DIR ?? './data'),
    adminPassword: env.LUOT_ADMIN_PASSWORD || undefined,
    demo: env.LUOT_DEMO === '1' || env.LUOT_DEMO === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    maxSocketsPerAddress: Number(env.LUOT_MAX_SOCKETS_PER_ADDRESS ?? 50),
  };
}
