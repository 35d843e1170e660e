import type { ProcessReport } from './audio.js';

/**
 * Recordings not yet installed, kept in the browser's IndexedDB: forty words take a quarter of an
 * hour to record, and a closed tab or a page reload must not lose them. Keyed by language and
 * clip; one draft per clip (a new take replaces the old one). Where IndexedDB cannot be opened
 * (a locked-down profile), drafts live in memory for the page's life and the studio says so.
 */
export interface Draft {
  clip: string;
  /** The clip as it will be installed: 16-bit PCM mono WAV. */
  wav: Uint8Array;
  /** What trimming and levelling did (absent for a clip imported from a voice file). */
  report: ProcessReport | null;
  source: 'mic' | 'file' | 'import';
  savedAt: number;
}

const DB = 'luot-voice-studio';
const STORE = 'drafts';
const key = (lang: string, clip: string) => `${lang}/${clip}`;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export class DraftStore {
  private db: Promise<IDBDatabase | null>;
  private readonly memory = new Map<string, Draft>();
  /** False when drafts are kept in memory only. */
  persistent = true;

  constructor(private readonly lang: string) {
    this.db = new Promise<IDBDatabase | null>((resolve) => {
      try {
        const open = indexedDB.open(DB, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(STORE);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => resolve(null);
        open.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    }).then((db) => {
      if (!db) this.persistent = false;
      return db;
    });
  }

  async list(): Promise<Draft[]> {
    const db = await this.db;
    if (!db) return [...this.memory.values()];
    const tx = db.transaction(STORE, 'readonly').objectStore(STORE);
    const [keys, values] = await Promise.all([request(tx.getAllKeys()), request(tx.getAll() as IDBRequest<Draft[]>)]);
    return values.filter((_, i) => String(keys[i]).startsWith(`${this.lang}/`));
  }

  async put(d: Draft): Promise<void> {
    this.memory.set(key(this.lang, d.clip), d);
    const db = await this.db;
    if (db) await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(d, key(this.lang, d.clip)));
  }

  async remove(clips: readonly string[]): Promise<void> {
    for (const c of clips) this.memory.delete(key(this.lang, c));
    const db = await this.db;
    if (!db) return;
    const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
    await Promise.all(clips.map((c) => request(store.delete(key(this.lang, c)))));
  }
}
