import { ROUTES } from '@luot/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, toApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { adminClient, downloadFile } from '../admin-api.js';
import { useAdmin } from '../session.js';
import { ActionButton } from './action-button.js';
import { ClipList } from './clip-list.js';
import { ClipPanel } from './clip-panel.js';
import { DraftStore, type Draft } from './drafts.js';
import { MicNotice } from './mic-notice.js';
import { StudioPlayer } from './player.js';
import { PreviewPanel } from './preview-panel.js';
import { micSupport } from './recorder.js';
import { draftsFromPack, packOf, PackFileError } from './studio-pack.js';
import { takeFromFile } from './take.js';
import { LANG, voiceApi, type ClipInfo, type VoiceOverview } from './voice-api.js';
import './voice-studio.css';

/** A line for the person, Vietnamese first. */
export interface Note {
  vi: string;
  en: string;
  kind: 'ok' | 'warn';
}

/**
 * Admin tab "Giọng đọc / Voice": the center records its own voice for the TV, word by word,
 * listens to whole calls made of the takes, and installs them; exports and imports a voice as
 * one file. What a clip is and how the TV finds it: docs/voice.md.
 */
export function VoiceStudio() {
  const { token, call } = useAdmin();
  const [overview, setOverview] = useState<VoiceOverview | null>(null);
  const [drafts, setDrafts] = useState<Map<string, Draft>>(new Map());
  const [usedLetters, setUsedLetters] = useState<Set<string>>(new Set());
  const [current, setCurrent] = useState('intro');
  const [error, setError] = useState<ApiError | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const [busy, setBusy] = useState(false);
  const store = useMemo(() => new DraftStore(LANG), []);
  const player = useMemo(() => new StudioPlayer(), []);
  const support = useMemo(micSupport, []);
  const importRef = useRef<HTMLInputElement>(null);
  const filesRef = useRef<HTMLInputElement>(null);

  useEffect(() => () => player.stop(), [player]);
  useEffect(() => {
    let live = true;
    voiceApi
      .overview(token)
      .then((o) => live && setOverview(o))
      .catch((e: unknown) => live && setError(toApiError(e)));
    store
      .list()
      .then((list) => live && setDrafts(new Map(list.map((d) => [d.clip, d]))))
      .catch(() => {});
    // The letters of the center's ticket prefixes are words the TV needs; the others are not.
    call(ROUTES.adminServices)
      .then((services) => {
        if (!live) return;
        const letters = services.filter((s) => s.active).flatMap((s) => [...s.prefix].filter((ch) => /[A-Z]/.test(ch)));
        setUsedLetters(new Set(letters.map((l) => `letter-${l.toLowerCase()}`)));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [token, call, store]);

  /** The clips in recording order: what every call needs first, then the optional ones. */
  const clips = useMemo(() => {
    if (!overview) return [];
    const needed = (c: ClipInfo) => !c.optional && (c.group !== 'letter' || usedLetters.has(c.clip));
    return [...overview.clips.filter(needed).map((c) => ({ ...c, needed: true })), ...overview.clips.filter((c) => !needed(c)).map((c) => ({ ...c, needed: false }))];
  }, [overview, usedLetters]);

  const saveDraft = useCallback(
    async (d: Draft) => {
      await store.put(d).catch(() => {});
      setDrafts((m) => new Map(m).set(d.clip, d));
    },
    [store],
  );
  const discardDrafts = useCallback(
    async (names: readonly string[]) => {
      await store.remove(names).catch(() => {});
      setDrafts((m) => {
        const next = new Map(m);
        for (const n of names) next.delete(n);
        return next;
      });
    },
    [store],
  );

  async function run(what: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await what();
    } catch (e) {
      if (e instanceof PackFileError) setError(new ApiError(400, { code: 'INVALID_INPUT', message: e.en, messageVi: e.vi }));
      else setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const install = () =>
    run(async () => {
      if (!overview) return;
      const list = [...drafts.values()];
      const r = await voiceApi.install(token, packOf(list, overview.clips));
      await discardDrafts(r.installed);
      setOverview(r);
      const missing = clips.filter((c) => c.needed && !c.custom && !drafts.has(c.clip) && c.group !== 'sound').length;
      setNote({
        kind: 'ok',
        vi: `Đã cài đặt ${r.installed.length} đoạn ghi âm. Màn hình TV dùng giọng mới từ lời gọi tiếp theo, không cần tải lại trang.${missing ? ` Còn ${missing} từ cần thiết dùng giọng mặc định.` : ''}`,
        en: `Installed ${r.installed.length} clip(s). The TVs use the new voice from the next call, with no reload.${missing ? ` ${missing} needed word(s) still use the built-in voice.` : ''}`,
      });
    });

  const exportVoice = () => run(() => downloadFile(adminClient(token).download(ROUTES.exportVoice, { params: { lang: LANG } }), `luot-giong-doc-${LANG}.json`));

  const importVoice = (file: File) =>
    run(async () => {
      if (!overview) return;
      const { drafts: imported, skipped, center } = draftsFromPack(await file.text(), overview.clips, Date.now());
      for (const d of imported) await saveDraft(d);
      setNote({
        kind: skipped.length ? 'warn' : 'ok',
        vi: `Đã nạp ${imported.length} đoạn ghi âm${center ? ` của "${center}"` : ''} làm bản ghi mới. Nghe thử rồi bấm "Cài đặt".${skipped.length ? ` Bỏ qua ${skipped.length} đoạn không dùng được: ${skipped.slice(0, 5).join(', ')}.` : ''}`,
        en: `Loaded ${imported.length} clip(s)${center ? ` from "${center}"` : ''} as new takes. Listen, then press "Install".${skipped.length ? ` Skipped ${skipped.length} unusable: ${skipped.slice(0, 5).join(', ')}.` : ''}`,
      });
    });

  const resetAll = () =>
    run(async () => {
      if (!window.confirm('Xoá toàn bộ giọng của trung tâm và dùng lại giọng mặc định? / Remove the center\'s whole voice and go back to the built-in one?')) return;
      const r = await voiceApi.removeAll(token);
      setOverview(r);
      setNote({ kind: 'ok', vi: `Đã trở về giọng mặc định (${r.removed.length} đoạn đã xoá).`, en: `Back to the built-in voice (${r.removed.length} clip(s) removed).` });
    });

  const removeOne = (clip: string) =>
    run(async () => {
      const r = await voiceApi.removeClip(token, clip);
      setOverview(r);
    });

  if (!overview) {
    return error ? <ErrorMessage error={error} /> : <p className="muted">Đang tải… / Loading…</p>;
  }
  const neededClips = clips.filter((c) => c.needed);
  const ready = neededClips.filter((c) => drafts.has(c.clip) || c.custom).length;
  const selected = clips.find((c) => c.clip === current) ?? clips[0];
  const index = clips.findIndex((c) => c.clip === selected?.clip);
  const go = (step: number) => {
    const next = clips[index + step];
    if (next) setCurrent(next.clip);
  };

  return (
    <section className="voice-studio" data-testid="voice-studio" data-version={overview.version}>
      <div className="panel-card">
        <h2>
          <Bi vi="Giọng đọc của trung tâm" en="The center's voice" />
        </h2>
        <p className="intro-text">
          <Bi
            vi="Ghi âm từng từ mà màn hình TV dùng để gọi số, trong phòng yên tĩnh, cùng một người đọc, cách micro khoảng một gang tay. Mỗi bản ghi tự dừng khi bạn ngừng nói; khoảng lặng hai đầu được cắt và độ to được cân bằng. Nghe thử cả câu, rồi cài đặt."
            en="Record each word the TV uses to call numbers, in a quiet room, one speaker, about a hand's width from the microphone. Each take stops by itself when you stop speaking; the silence at both ends is cut and the loudness evened. Listen to a whole call, then install."
          />
        </p>
        <MicNotice support={support} />
        {!store.persistent && (
          <p className="voice-note warn">
            <Bi vi="Trình duyệt không cho lưu bản ghi tạm: hãy cài đặt trước khi đóng trang." en="This browser cannot keep takes: install them before closing the page." />
          </p>
        )}
        <div className="voice-progress" data-testid="voice-progress" data-ready={ready} data-needed={neededClips.length}>
          <progress max={neededClips.length} value={ready} aria-label="Tiến độ / Progress" />
          <Bi vi={`Đã có ${ready}/${neededClips.length} từ cần cho lời gọi (bản ghi mới hoặc đã cài)`} en={`${ready} of ${neededClips.length} words a call needs are recorded or installed`} />
        </div>
      </div>

      <div className="studio-grid">
        <ClipList clips={clips} drafts={drafts} current={selected?.clip ?? ''} onSelect={setCurrent} />
        <div className="studio-main">
          {selected && (
            <ClipPanel
              key={selected.clip}
              clip={selected}
              position={{ index, total: clips.length }}
              draft={drafts.get(selected.clip) ?? null}
              version={overview.version}
              support={support}
              player={player}
              onTake={saveDraft}
              onDiscard={() => void discardDrafts([selected.clip])}
              onRemoveInstalled={() => void removeOne(selected.clip)}
              onPrev={index > 0 ? () => go(-1) : null}
              onNext={index < clips.length - 1 ? () => go(1) : null}
            />
          )}
          <PreviewPanel clips={clips} drafts={drafts} version={overview.version} player={player} />

          <div className="panel-card" data-testid="voice-install">
            <h3>
              <Bi vi="Cài đặt và chia sẻ" en="Install and share" />
            </h3>
            <div className="voice-actions">
              <ActionButton className="primary" action="install" busy={busy} disabled={drafts.size === 0} vi={`Cài đặt ${drafts.size} bản ghi mới làm giọng của trung tâm`} en={`Install ${drafts.size} new take(s) as the center's voice`} onClick={install} />
              {drafts.size > 0 && (
                <ActionButton action="discard-all" busy={busy} vi="Bỏ mọi bản ghi mới" en="Discard all new takes" onClick={() => discardDrafts([...drafts.keys()])} />
              )}
            </div>
            <div className="voice-actions">
              <ActionButton action="export" busy={busy} disabled={!overview.clips.some((c) => c.custom?.format === 'wav')} vi="Xuất giọng đọc ra một tệp" en="Export the voice as one file" onClick={exportVoice} />
              <ActionButton action="import" busy={busy} vi="Nhập tệp giọng đọc (từ trung tâm khác)" en="Import a voice file (from another center)" onClick={() => importRef.current?.click()} />
              <input
                ref={importRef}
                type="file"
                accept=".json,application/json"
                hidden
                data-testid="import-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f) void importVoice(f);
                }}
              />
              <ActionButton action="upload-many" busy={busy} vi="Tải lên nhiều tệp đặt tên theo từ (intro.wav, hai.wav…)" en="Upload several files named by clip (intro.wav, hai.wav…)" onClick={() => filesRef.current?.click()} />
              <input ref={filesRef} type="file" accept="audio/*,.wav" multiple hidden data-testid="upload-many" onChange={(e) => void uploadMany(e.target)} />
              <ActionButton className="danger" action="reset" busy={busy} disabled={!overview.clips.some((c) => c.custom)} vi="Trở về giọng mặc định" en="Back to the built-in voice" onClick={resetAll} />
            </div>
            {note && (
              <p className={`voice-note ${note.kind}`} role="status" data-testid="voice-notice">
                <Bi vi={note.vi} en={note.en} />
              </p>
            )}
            <ErrorMessage error={error} onDismiss={() => setError(null)} />
          </div>
        </div>
      </div>
    </section>
  );

  /** Files recorded elsewhere, each named after its clip: processed like a take, kept as drafts. */
  async function uploadMany(input: HTMLInputElement) {
    const files = [...(input.files ?? [])];
    input.value = '';
    await run(async () => {
      const known = new Set(clips.map((c) => c.clip));
      const done: string[] = [];
      const skipped: string[] = [];
      for (const f of files) {
        const clip = f.name.replace(/\.[^.]+$/, '').toLowerCase();
        if (!known.has(clip)) {
          skipped.push(f.name);
          continue;
        }
        try {
          await saveDraft(await takeFromFile(clip, f));
          done.push(clip);
        } catch {
          skipped.push(f.name);
        }
      }
      setNote({
        kind: skipped.length ? 'warn' : 'ok',
        vi: `Đã nạp ${done.length} tệp làm bản ghi mới.${skipped.length ? ` Bỏ qua ${skipped.length} tệp (tên không khớp từ nào, hoặc không phải âm thanh): ${skipped.slice(0, 5).join(', ')}.` : ''}`,
        en: `Loaded ${done.length} file(s) as new takes.${skipped.length ? ` Skipped ${skipped.length} (name matches no clip, or not audio): ${skipped.slice(0, 5).join(', ')}.` : ''}`,
      });
    });
  }
}
