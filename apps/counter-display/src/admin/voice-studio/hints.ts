import type { ClipInfo } from './voice-api.js';

/**
 * How to say each clip, shown while recording it. A word recorded on its own tends to be said as
 * a question or an ending; the TV puts it mid-sentence, so the hint gives the phrase it lives in.
 */
const HINTS: Record<string, { vi: string; en: string }> = {
  intro: { vi: 'Đọc cả câu liền một hơi, rõ ràng, không ngắt giữa chừng.', en: 'The whole phrase in one breath, clearly, without a pause.' },
  'to-counter': { vi: 'Đọc liền một hơi, như giữa câu: "… đến quầy số …".', en: 'In one breath, as mid-sentence: "… to counter number …".' },
  khoong: { vi: 'Như trong "một nghìn không trăm linh năm".', en: 'As in 1005 "một nghìn không trăm linh năm".' },
  mootj: { vi: 'Như trong "mười một" (dấu nặng).', en: 'As in 11 "mười một" (heavy tone).' },
  moots: { vi: 'Như trong "hai mươi mốt" (dấu sắc).', en: 'As in 21 "hai mươi mốt" (rising tone).' },
  tuw: { vi: 'Như trong "hai mươi tư".', en: 'As in 24 "hai mươi tư".' },
  lawm: { vi: 'Như trong "mười lăm".', en: 'As in 15 "mười lăm".' },
  nhawm: { vi: 'Như trong "hai mươi nhăm" (chỉ cần nếu trung tâm dùng cách đọc này).', en: 'As in 25 "hai mươi nhăm" (only if the center reads numbers this way).' },
  muwowif: { vi: '"Mười" có dấu huyền, như trong "mười hai".', en: '"Mười" with the falling tone, as in 12 "mười hai".' },
  muwowi: { vi: '"Mươi" không dấu, như trong "hai mươi".', en: '"Mươi" with the level tone, as in 20 "hai mươi".' },
  trawm: { vi: 'Như trong "một trăm".', en: 'As in 100 "một trăm".' },
  nghinf: { vi: 'Như trong "một nghìn".', en: 'As in 1000 "một nghìn".' },
  linh: { vi: 'Như trong "một trăm linh năm".', en: 'As in 105 "một trăm linh năm".' },
  ler: { vi: 'Như trong "một trăm lẻ năm" (chỉ cần nếu trung tâm đọc "lẻ").', en: 'As in 105 "một trăm lẻ năm" (only if the center says "lẻ").' },
  chime: { vi: 'Tiếng chuông trước mỗi lời gọi. Nên tải lên một tệp chuông ngắn thay vì ghi âm.', en: 'The chime before each call. Better uploaded as a short sound file than recorded.' },
};

export function hintOf(c: ClipInfo): { vi: string; en: string } {
  const h = HINTS[c.clip];
  if (h) return h;
  if (c.group === 'letter') {
    const letter = c.clip.replace('letter-', '').toUpperCase();
    return { vi: `Tên chữ cái ${letter} trên số thứ tự, như trong "${c.text} mười hai" (${letter}012).`, en: `The letter ${letter} of a ticket number, as in ${letter}012 "${c.text} mười hai".` };
  }
  return { vi: `Đọc như giữa một số, không kéo dài: "${c.text}".`, en: `As in the middle of a number, not drawn out: "${c.text}".` };
}
