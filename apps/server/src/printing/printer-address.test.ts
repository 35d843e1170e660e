import { parsePrinterAddress } from '@luot/protocol';
import { describe, expect, it } from 'vitest';

/**
 * Which printer addresses the admin's list accepts (docs/printing.md, "Which addresses"): IP
 * literals on the center's own network, any port, 9100 when none is given; never a name.
 */
const ok = (s: string) => {
  const r = parsePrinterAddress(s);
  return r.ok ? r.address : null;
};
const why = (s: string) => {
  const r = parsePrinterAddress(s);
  return r.ok ? null : r.en;
};

describe('parsePrinterAddress', () => {
  it('accepts private, link-local and loopback IPv4, with or without tcp:// and port', () => {
    expect(ok('192.168.1.50')).toBe('tcp://192.168.1.50:9100');
    expect(ok(' tcp://192.168.1.50:9100/ ')).toBe('tcp://192.168.1.50:9100');
    expect(ok('TCP://10.0.0.1:9101')).toBe('tcp://10.0.0.1:9101');
    expect(ok('172.16.0.1')).toBe('tcp://172.16.0.1:9100');
    expect(ok('172.31.255.254:1')).toBe('tcp://172.31.255.254:1');
    expect(ok('169.254.10.20')).toBe('tcp://169.254.10.20:9100');
    expect(ok('127.0.0.1:65535')).toBe('tcp://127.0.0.1:65535');
  });

  it('accepts IPv6 loopback and unique local addresses in brackets, lower-cased', () => {
    expect(ok('[::1]')).toBe('tcp://[::1]:9100');
    expect(ok('tcp://[FD12:3456::7]:9100')).toBe('tcp://[fd12:3456::7]:9100');
    expect(ok('[fc00:0:0:0:0:0:0:1]:9102')).toBe('tcp://[fc00:0:0:0:0:0:0:1]:9102');
  });

  it('refuses names, saying to type the IP', () => {
    for (const s of ['printer.local', 'tcp://localhost:9100', 'may-in', 'xp80.lan:9100']) expect(why(s), s).toMatch(/IP address/);
  });

  it('refuses addresses outside the center’s network', () => {
    for (const s of ['8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '0.0.0.0', '255.255.255.255', '100.64.0.1', '[2001:db8::1]', '[fe80::1]', '[::]', '[::ffff:c0a8:132]']) {
      expect(why(s), s).toMatch(/own network/);
    }
  });

  it('refuses ports out of range and anything that is not tcp://IP:port', () => {
    for (const s of ['10.0.0.1:0', '10.0.0.1:65536', '10.0.0.1:']) expect(why(s), s).toMatch(/port/);
    for (const s of ['', 'http://10.0.0.1', 'tcp://10.0.0.1:9100/path', '10.0.0.01', '10.0.0', '10.0.0.256', '[fd00::1', '[fd00:::1]', '[1:2:3:4:5:6:7:8:9]', 'fd00::1', 'tcp://user@10.0.0.1']) {
      expect(why(s), s).toMatch(/looks like tcp:\/\//);
    }
  });
});
