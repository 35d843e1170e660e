import { Bi } from '../../ui/bi.js';
import type { Draft } from './drafts.js';
import type { ClipInfo } from './voice-api.js';

export type StudioClip = ClipInfo & { needed: boolean };

/** Where a clip stands: a new take not yet installed, the center's own, or the built-in one. */
export function clipState(c: ClipInfo, draft: Draft | null | undefined): 'draft' | 'custom' | 'built-in' {
  return draft ? 'draft' : c.custom ? 'custom' : 'built-in';
}

export const STATE_LABEL = {
  draft: { vi: 'Bản ghi mới', en: 'New take' },
  custom: { vi: 'Giọng trung tâm', en: "Center's" },
  'built-in': { vi: 'Mặc định', en: 'Built-in' },
} as const;

const GROUPS = [
  { id: 'phrase', vi: 'Câu cố định', en: 'Phrases' },
  { id: 'number', vi: 'Số', en: 'Numbers' },
  { id: 'letter', vi: 'Chữ cái của số thứ tự', en: 'Ticket letters' },
] as const;

/** Every clip, needed ones first, with its state; the selected one is recorded in the panel. */
export function ClipList({ clips, drafts, current, onSelect }: { clips: readonly StudioClip[]; drafts: ReadonlyMap<string, Draft>; current: string; onSelect: (clip: string) => void }) {
  const item = (c: StudioClip) => {
    const state = clipState(c, drafts.get(c.clip));
    return (
      <li key={c.clip}>
        <button
          type="button"
          className={`clip-item ${state} ${c.clip === current ? 'current' : ''}`}
          data-testid="clip-item"
          data-clip={c.clip}
          data-state={state}
          aria-current={c.clip === current ? 'true' : undefined}
          onClick={() => onSelect(c.clip)}
        >
          <span className="word" lang="vi">
            {c.text}
          </span>
          <span className={`badge ${state}`}>
            {STATE_LABEL[state].vi} <span className="en">{STATE_LABEL[state].en}</span>
          </span>
        </button>
      </li>
    );
  };
  const needed = clips.filter((c) => c.needed);
  const optional = clips.filter((c) => !c.needed);
  return (
    <nav className="panel-card clip-list" aria-label="Các từ cần ghi âm / Words to record">
      {GROUPS.map((g) => {
        const list = needed.filter((c) => c.group === g.id);
        if (!list.length) return null;
        return (
          <div key={g.id}>
            <h3>
              <Bi vi={g.vi} en={g.en} />
            </h3>
            <ul>{list.map(item)}</ul>
          </div>
        );
      })}
      <details>
        <summary>
          <Bi vi={`Không bắt buộc (${optional.length})`} en={`Optional (${optional.length})`} />
        </summary>
        <ul>{optional.map(item)}</ul>
      </details>
    </nav>
  );
}
