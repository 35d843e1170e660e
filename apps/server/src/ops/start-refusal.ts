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
  /** Another program listens on PORT (retried: it starts once the port is free). */
  portInUse: 9,
  /** Not allowed to listen on PORT (below 1024 without the right), or HOST is not this machine's. */
  portDenied: 10,
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

/**
 * The HTTP listen failed: another program holds the port, the port needs a right the account
 * lacks (below 1024), or HOST is not an address of this machine. Anything else: null (the caller
 * rethrows it).
 */
export function listenRefusal(err: unknown, host: string, port: number): StartRefused | null {
  const code = (err as { code?: unknown }).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new StartRefused(
      EXIT.portInUse,
      `Cổng ${port} đang được dùng bởi chương trình khác (${where}). Đổi PORT (ví dụ 8081) hoặc dừng chương trình kia (xem bằng: ss -ltnp 'sport = :${port}', trên Windows: netstat -ano | findstr :${port}); có thể là một máy chủ Luot khác đang chạy.`,
      `Port ${port} is in use by another program (${where}). Change PORT (e.g. 8081) or stop the other program (find it with: ss -ltnp 'sport = :${port}'; on Windows: netstat -ano | findstr :${port}); it may be another Luot server.`,
      { cause: err },
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new StartRefused(
      EXIT.portDenied,
      `Không được phép mở cổng ${port} (${where}): cổng dưới 1024 cần quyền đặc biệt. Dùng PORT=8080, hoặc cho dịch vụ quyền CAP_NET_BIND_SERVICE (xem deploy/systemd/luot.service).`,
      `Not allowed to listen on port ${port} (${where}): ports below 1024 need a privilege. Use PORT=8080, or give the service CAP_NET_BIND_SERVICE (see deploy/systemd/luot.service).`,
      { cause: err },
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new StartRefused(
      EXIT.portDenied,
      `HOST=${host} không phải địa chỉ của máy này. Bỏ HOST (mọi địa chỉ) hoặc đặt HOST=127.0.0.1 (chỉ máy này).`,
      `HOST=${host} is not an address of this machine. Unset HOST (every address) or set HOST=127.0.0.1 (this machine only).`,
      { cause: err },
    );
  }
  return null;
}
