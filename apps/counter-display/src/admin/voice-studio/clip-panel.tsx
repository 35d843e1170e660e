import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { ActionButton } from './action-button.js';
import { waveform, type ProcessReport } from './audio.js';
import { clipState, STATE_LABEL, type StudioClip } from './clip-list.js';
import type { Draft } from './drafts.js';
import { hintOf } from './hints.js';
import type { StudioPlayer } from './player.js';
import { MicRecording, type LiveLevel, type MicSupport } from './recorder.js';
import { takeFromFile, takeFromRecording } from './take.js';
import { installedClipUrl } from './voice-api.js';

type Phase = 'idle' | 'starting' | 'recording' | 'processing';

const seconds = (ms: number) => (ms / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 2 });
const decibels = (db: number) => `${db > 0 ? '+' : ''}${db.toLocaleString('vi-VN', { maximumFractionDigits: 1 })} dB`;

/** The microphone's refusal in words (the person can usually fix it themselves). */
function micError(e: unknown): ApiError {
  const name = e instanceof DOMException ? e.name : '';
  const texts: Record<string, [string, string]> = {
    NotAllowedError: ['Trình duyệt chưa được phép dùng micro: bấm biểu tượng micro hoặc ổ khoá trên thanh địa chỉ, chọn Cho phép, rồi thử lại.', 'The browser may not use the microphone: allow it from the microphone or lock icon in the address bar, then try again.'],
    NotFoundError: ['Không tìm thấy micro. Cắm micro vào máy rồi thử lại.', 'No microphone found. Plug one in and try again.'],
    NotReadableError: ['Micro đang được ứng dụng khác dùng, hoặc không đọc được.', 'The microphone is in use by another application, or cannot be read.'],
  };
  const detail = String((e as Error | null)?.message ?? e);
  const [messageVi, message] = texts[name] ?? [`Không ghi âm được: ${detail}`, `Could not record: ${detail}`];
  return new ApiError(0, { code: 'MICROPHONE', message, messageVi });
}

function ReportLine({ report }: { report: ProcessReport }) {
  const warnings: [string, string][] = [];
  if (report.noVoice) warnings.push(['Không nghe thấy tiếng nói: kiểm tra micro rồi ghi lại.', 'No voice heard: check the microphone and record again.']);
  if (report.tooQuiet) warnings.push(['Giọng quá nhỏ: nói gần micro hơn rồi ghi lại.', 'Too quiet: speak closer to the microphone and record again.']);
  if (report.clipped) warnings.push(['Tiếng bị vỡ vì quá to: lùi xa micro hoặc nói nhỏ hơn, rồi ghi lại.', 'Distorted (too loud): step back or speak softer, and record again.']);
  if (report.tooLong) warnings.push(['Bản ghi quá dài: mỗi bản chỉ đọc một từ hoặc một câu ngắn.', 'Too long: one word or one short phrase per take.']);
  return (
    <div className="take-report" data-testid="take-report" data-warnings={warnings.length}>
      <Bi
        vi={`Dài ${seconds(report.durationMs)} s · đã cắt ${seconds(report.trimmedStartMs)} s im lặng ở đầu, ${seconds(report.trimmedEndMs)} s ở cuối · độ to ${decibels(report.gainDb)}`}
        en={`${seconds(report.durationMs)} s long · ${seconds(report.trimmedStartMs)} s of silence cut before, ${seconds(report.trimmedEndMs)} s after · gain ${decibels(report.gainDb)}`}
      />
      {warnings.map(([vi, en]) => (
        <p key={en} className="voice-note warn" role="alert">
          <Bi vi={vi} en={en} />
        </p>
      ))}
    </div>
  );
}

function Waveform({ player, wav }: { player: StudioPlayer; wav: Uint8Array }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let live = true;
    void player
      .decode(wav)
      .then((buffer) => {
        const c = canvas.current;
        const g = c?.getContext('2d');
        if (!live || !c || !g) return;
        const peaks = waveform(buffer.getChannelData(0), c.width);
        g.clearRect(0, 0, c.width, c.height);
        g.fillStyle = '#1d5fa8';
        const mid = c.height / 2;
        peaks.forEach((p, x) => g.fillRect(x, mid - p * mid, 1, Math.max(1, p * c.height)));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [player, wav]);
  return <canvas ref={canvas} className="waveform" width={560} height={64} aria-label="Dạng sóng của bản ghi / Waveform of the take" />;
}

/** Records, uploads and plays one clip; the walk-through moves with Previous / Next. */
export function ClipPanel(props: {
  clip: StudioClip;
  position: { index: number; total: number };
  draft: Draft | null;
  version: string;
  support: MicSupport;
  player: StudioPlayer;
  onTake: (d: Draft) => Promise<void>;
  onDiscard: () => void;
  onRemoveInstalled: () => void;
  onPrev: (() => void) | null;
  onNext: (() => void) | null;
}) {
  const { clip, draft, player } = props;
  const [phase, setPhase] = useState<Phase>('idle');
  const [level, setLevel] = useState<LiveLevel | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const recording = useRef<MicRecording | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const hint = hintOf(clip);
  const state = clipState(clip, draft);

  const mounted = useRef(true);
  // Leaving the clip (Next, another word) ends a recording still running, and drops it: half a
  // take is not a take.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      void recording.current?.stop();
      player.stop();
    };
  }, [player]);

  async function record() {
    setError(null);
    setPhase('starting');
    try {
      const rec = await MicRecording.start(setLevel, { autoStop: true });
      recording.current = rec;
      setPhase('recording');
      const raw = await rec.result;
      recording.current = null;
      if (!mounted.current) return;
      setPhase('processing');
      await props.onTake(await takeFromRecording(clip.clip, raw));
    } catch (e) {
      setError(micError(e));
    } finally {
      setPhase('idle');
      setLevel(null);
    }
  }

  async function upload(file: File) {
    setError(null);
    setPhase('processing');
    try {
      await props.onTake(await takeFromFile(clip.clip, file));
    } catch {
      setError(new ApiError(0, { code: 'NOT_AUDIO', message: 'This file is not audio the browser can read (WAV, MP3, M4A, Ogg).', messageVi: 'Tệp này không phải âm thanh mà trình duyệt đọc được (WAV, MP3, M4A, Ogg).' }));
    } finally {
      setPhase('idle');
    }
  }

  async function playTake() {
    if (!draft) return;
    const buffer = await player.decode(draft.wav);
    await player.play([{ clip: clip.clip, source: 'draft', buffer }]);
  }

  async function playInstalled() {
    const buffer = await player.fetch(installedClipUrl(clip, props.version));
    if (buffer) await player.play([{ clip: clip.clip, source: clip.custom ? 'custom' : 'built-in', buffer }]);
  }

  const busy = phase !== 'idle';
  const meter = level ? Math.max(0, Math.min(100, ((level.db + 60) / 60) * 100)) : 0;
  return (
    <div className="panel-card clip-panel" data-testid="clip-panel" data-clip={clip.clip} data-phase={phase} data-state={state}>
      <div className="clip-head">
        <span className="muted">
          {props.position.index + 1}/{props.position.total}
          {!clip.needed && ' · Không bắt buộc / Optional'}
        </span>
        <span className={`badge ${state}`}>
          {STATE_LABEL[state].vi} <span className="en">{STATE_LABEL[state].en}</span>
        </span>
      </div>
      <p className="clip-word" lang="vi" data-testid="clip-word">
        {clip.text}
      </p>
      <p className="clip-file mono">{clip.clip}.wav</p>
      <p className="clip-hint">
        <Bi vi={hint.vi} en={hint.en} />
      </p>

      <div className="voice-actions">
        {phase === 'recording' ? (
          <button type="button" className="primary record on" data-action="stop" onClick={() => void recording.current?.stop()}>
            <Bi vi="■ Dừng" en="Stop" />
          </button>
        ) : (
          <ActionButton className="primary record" action="record" busy={busy} disabled={!props.support.ok} vi={draft ? '● Ghi lại' : '● Ghi âm'} en={draft ? 'Record again' : 'Record'} onClick={record} />
        )}
        <ActionButton action="upload" busy={busy} vi="Tải tệp lên" en="Upload a file" onClick={() => fileRef.current?.click()} />
        <input
          ref={fileRef}
          type="file"
          accept="audio/*,.wav"
          hidden
          data-testid="clip-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void upload(f);
          }}
        />
        {draft && (
          <>
            <ActionButton action="play-take" busy={busy} vi="▶ Nghe bản ghi" en="Play the take" onClick={playTake} />
            <ActionButton action="discard" busy={busy} vi="Bỏ bản ghi" en="Discard the take" onClick={props.onDiscard} />
          </>
        )}
        <ActionButton action="play-installed" busy={busy} vi={clip.custom ? '▶ Nghe bản đã cài' : '▶ Nghe giọng mặc định'} en={clip.custom ? 'Play the installed clip' : 'Play the built-in clip'} onClick={playInstalled} />
        {clip.custom && !draft && (
          <ActionButton className="danger" action="use-built-in" busy={busy} vi="Dùng lại giọng mặc định cho từ này" en="Use the built-in clip for this word" onClick={props.onRemoveInstalled} />
        )}
      </div>

      {(phase === 'recording' || phase === 'starting') && (
        <div className="level" data-testid="level" data-heard={level?.heard ? 'true' : 'false'}>
          <div className="level-bar" style={{ width: `${meter}%` }} />
          <span className="level-text">
            {level?.heard ? (
              <Bi vi="Đã nghe thấy — ngừng nói để kết thúc" en="Heard you — stop speaking to finish" />
            ) : (
              <Bi vi={`Đang ghi âm… hãy đọc: “${clip.text}”`} en="Recording… say the word" />
            )}
          </span>
        </div>
      )}
      {phase === 'processing' && <p className="muted">Đang xử lý… / Processing…</p>}
      {draft && phase === 'idle' && (
        <>
          <Waveform player={player} wav={draft.wav} />
          {draft.report ? (
            <ReportLine report={draft.report} />
          ) : (
            <p className="muted">
              <Bi vi="Nạp từ tệp giọng đọc." en="Loaded from a voice file." />
            </p>
          )}
        </>
      )}
      <ErrorMessage error={error} onDismiss={() => setError(null)} />

      <div className="voice-actions walk">
        <ActionButton action="prev" busy={busy} disabled={!props.onPrev} vi="← Từ trước" en="Previous" onClick={() => props.onPrev?.()} />
        <ActionButton action="next" busy={busy} disabled={!props.onNext} vi="Từ tiếp theo →" en="Next word" onClick={() => props.onNext?.()} />
      </div>
    </div>
  );
}
