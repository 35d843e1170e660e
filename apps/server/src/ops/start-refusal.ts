/**
 * Why the server will not start, in words the IT person can act on (Vietnamese first), with an
 * exit code per reason so a service manager can tell them apart: deploy/systemd/luot.service does
 * not restart on the reasons that need a person (a damaged database, a newer schema, bad settings).
 * Listed in docs/operations.md ("When the server refuses to start").
 */
export const EXIT = {
  /** A setting in the environment is wrong. */
  settings: 2,
  /** The data directory is missing and cannot be created, or is read-only. */
  dataDir: 3,
  /** Another Luot process holds the data directory. */
  locked: 4,
  /** The database failed its integrity check. */
  damaged: 5,
  /** The database was written by a newer Luot. */
  newer: 6,
  /** The disk is full and the database cannot even be opened. */
  diskFull: 7,
  /** The disk cannot be read or written (I/O error) when opening the database. */
  storage: 8,
} as const;

export class StartRefused extends Error {
  constructor(
    readonly exitCode: number,
    readonly vi: string,
    readonly en: string,
    options?: { cause?: unknown },
  ) {
    super(en, options);
    this.name = 'StartRefused';
  }

  /** The lines printed on stderr (the journal under systemd). */
  text(): string {
    return `Luot không khởi động / Luot did not start:\n  ${this.vi}\n  ${this.en}`;
  }
}
