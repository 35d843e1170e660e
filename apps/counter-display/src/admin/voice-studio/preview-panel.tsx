import { announcementText, buildAnnouncement } from '@luot/domain';
import { useState } from 'react';
import { ApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { ActionButton } from './action-button.js';
import { clipState, type StudioClip } from './clip-list.js';
import type { Draft } from './drafts.js';
import type { ClipSource, StudioPlayer } from './player.js';
import { installedClipUrl } from './voice-api.js';

/**
 * A whole call as the TV will read it, made of the new takes where there are some and of the
 * installed (or built-in) clips elsewhere: the chime, then buildAnnouncement's clips, exactly
 * the TV's order (src/announce/announcer.ts).
 */
export function PreviewPanel({ clips, drafts, version, player }: { clips: readonly StudioClip[]; drafts: ReadonlyMap<string, Draft>; version: string; player: StudioPlayer }) {
  const [number, setNumber] = useState('1023');
  const [counter, setCounter] = useState('2');
  const [playing, setPlaying] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const counterNo = Number(counter);
  const valid = /^[A-Za-z]{0,3}\d{1,6}$/.test(number.trim()) && Number.isInteger(counterNo) && counterNo >= 1 && counterNo <= 999;
  const parts = valid ? [{ clip: 'chime', text: '♪' }, ...buildAnnouncement(number.trim(), counterNo)] : [];
  const byName = new Map(clips.map((c) => [c.clip, c]));
  const sourceOf = (clip: string): ClipSource => {
    const c = byName.get(clip);
    return c ? clipState(c, drafts.get(clip)) : 'built-in';
  };

  async function play() {
    setError(null);
    try {
      const loaded = await Promise.all(
        parts.map(async (p) => {
          const source = sourceOf(p.clip);
          const d = drafts.get(p.clip);
          const c = byName.get(p.clip);
          const buffer = d ? await player.decode(d.wav) : c ? await player.fetch(installedClipUrl(c, version)) : null;
          return { clip: p.clip, source, buffer };
        }),
      );
      const missing = loaded.filter((l) => !l.buffer).map((l) => l.clip);
      if (missing.length) {
        setError(new ApiError(0, { code: 'CLIP_MISSING', message: `No sound for: ${missing.join(', ')}.`, messageVi: `Không có âm thanh cho: ${missing.join(', ')}.` }));
        return;
      }
      await player.play(
        loaded.map((l) => ({ clip: l.clip, source: l.source, buffer: l.buffer as AudioBuffer })),
        setPlaying,
      );
    } catch (e) {
      setError(new ApiError(0, { code: 'PLAYBACK', message: `Could not play: ${String(e)}`, messageVi: `Không phát được: ${String(e)}` }));
    }
  }

  return (
    <div className="panel-card preview" data-testid="voice-preview">
      <h3>
        <Bi vi="Nghe thử cả câu" en="Listen to a whole call" />
      </h3>
      <div className="row">
        <label className="field">
          <Bi vi="Số thứ tự" en="Ticket number" />
          <input name="previewNumber" value={number} onChange={(e) => setNumber(e.target.value)} maxLength={9} inputMode="numeric" />
        </label>
        <label className="field">
          <Bi vi="Quầy số" en="Counter" />
          <input name="previewCounter" value={counter} onChange={(e) => setCounter(e.target.value)} maxLength={3} inputMode="numeric" />
        </label>
        <ActionButton className="primary" action="preview" busy={playing !== null} disabled={!valid} vi="▶ Nghe thử" en="Play" onClick={play} />
        <button type="button" data-action="preview-stop" disabled={playing === null} onClick={() => player.stop()}>
          <Bi vi="■ Dừng" en="Stop" />
        </button>
      </div>
      {valid && (
        <>
          <p className="preview-words" data-testid="preview-words">
            {parts.map((p, i) => (
              <span key={i} className={`word-chip ${sourceOf(p.clip)} ${playing === i ? 'playing' : ''}`} data-clip={p.clip} data-source={sourceOf(p.clip)} title={p.clip}>
                {p.text}
              </span>
            ))}
          </p>
          {/* The sentence as the TV will say it (Vietnamese only: it is what is heard), then the
              colours' legend in both languages. */}
          <p className="muted small" lang="vi" data-testid="preview-sentence">
            {announcementText(parts.slice(1))}
          </p>
          <p className="muted small">
            <Bi vi="Xanh dương: bản ghi mới · xanh lá: giọng trung tâm · xám: mặc định" en="Blue: new take · green: the center's voice · grey: built-in" />
          </p>
        </>
      )}
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
    </div>
  );
}
