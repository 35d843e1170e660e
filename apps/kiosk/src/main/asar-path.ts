import { sep } from 'node:path';

/**
 * Where electron-builder puts a file listed in `asarUnpack`: beside app.asar, under
 * app.asar.unpacked. Native code (the canvas library reading the ticket fonts) opens files by
 * path through the operating system, which cannot see inside app.asar; only Electron's patched
 * `fs` can (and since Electron 44 not even a descriptor from it may be handed to native code).
 * A path outside app.asar comes back unchanged (development, tests).
 */
export function asarUnpackedPath(path: string, separator: string = sep): string {
  const marker = `${separator}app.asar${separator}`;
  const at = path.indexOf(marker);
  if (at < 0) return path;
  return `${path.slice(0, at)}${separator}app.asar.unpacked${separator}${path.slice(at + marker.length)}`;
}
