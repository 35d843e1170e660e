/**
 * `node dist/main/hash-pin-cli.js 1234` prints the adminPinHash line for kiosk.json, so the
 * installer (or a technician) never writes the PIN itself into the file.
 */
import { hashPin } from './admin-pin.js';

const pin = process.argv[2] ?? '';
try {
  process.stdout.write(`${hashPin(pin)}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
