import { createContext, useContext } from 'react';
import type { Lang } from '../i18n.js';

export const LangContext = createContext<Lang>('vi');
export const useLang = () => useContext(LangContext);

/** Two languages at once: the chosen one large, the other small below it. */
export function Bi({ vi, en, className }: { vi: string; en: string; className?: string }) {
  const lang = useLang();
  const [main, sub] = lang === 'vi' ? [vi, en] : [en, vi];
  return (
    <span className={`bi ${className ?? ''}`} lang={lang}>
      <span className="bi-main">{main}</span>
      <span className="bi-sub" lang={lang === 'vi' ? 'en' : 'vi'}>
        {sub}
      </span>
    </span>
  );
}
