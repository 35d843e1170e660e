/**
 * The province link's settings (docs/province.md): LUOT_PROVINCE_URL, the province service's base
 * address (http or https), and LUOT_PROVINCE_KEY, this center's key from the province admin. Both
 * or neither: one without the other is a mistake worth refusing to start for, not a silent "off".
 */
export interface ProvinceConfig {
  url: string;
  key: string;
}

export function provinceConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProvinceConfig | null {
  const url = env.LUOT_PROVINCE_URL?.trim() || undefined;
  const key = env.LUOT_PROVINCE_KEY?.trim() || undefined;
  if (!url && !key) return null;
  if (!url || !key) throw new Error('LUOT_PROVINCE_URL and LUOT_PROVINCE_KEY go together: set both (or neither)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`LUOT_PROVINCE_URL must be an http(s) address, got ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`LUOT_PROVINCE_URL must be an http(s) address, got ${url}`);
  if (parsed.username || parsed.password) throw new Error('LUOT_PROVINCE_URL must not carry a user or password: the key goes in LUOT_PROVINCE_KEY');
  if (!/^[A-Za-z0-9_-]{32,200}$/.test(key)) throw new Error('LUOT_PROVINCE_KEY must be the key the province admin gave (43 characters: letters, digits, - and _)');
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`, key };
}
