import type { CenterFigures } from '../figures.js';

/**
 * The ranking of centers for a range (docs/province.md, "Ranking"). The rule, written here
 * because directors will be judged by it:
 * 1. Only a center with at least MIN_ANSWERS ratings in the range is ranked: below that one
 *    unhappy citizen moves a percentage by several points. The others are listed after the
 *    ranked ones, without a rank, flagged "too few ratings".
 * 2. Score = the mean of "% hài lòng" (satisfied answers / all answers) and the share of tickets
 *    called within their service's target wait, both in percent, with equal weight: how citizens
 *    judged the service and how fast they were served. A center with no target wait set (or no
 *    ticket called in a service that has one) is scored on % hài lòng alone and flagged.
 * 3. Higher score first; ties by % hài lòng, then by the number of ratings (more evidence), then
 *    by code. Equal score and equal % hài lòng share a rank ("1, 2, 2, 4").
 */
export const MIN_ANSWERS = 30;

export type RankFlag = 'few-ratings' | 'no-target';

export interface RankEntry {
  centerId: number;
  code: string;
  name: string;
  /** 1-based; null when not ranked (too few ratings). */
  rank: number | null;
  /** Percent, one decimal; null when not ranked. */
  score: number | null;
  satisfiedPercent: number | null;
  withinTargetPercent: number | null;
  answers: number;
  issued: number;
  flags: RankFlag[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function rankCenters(centers: readonly CenterFigures[], minAnswers = MIN_ANSWERS): RankEntry[] {
  const entries = centers.map((c): RankEntry => {
    const sat = c.totals.satisfaction.percent;
    const within = c.totals.withinTarget?.percent ?? null;
    const answers = c.totals.satisfaction.answers;
    const flags: RankFlag[] = [];
    if (answers < minAnswers) flags.push('few-ratings');
    if (within === null) flags.push('no-target');
    const ranked = answers >= minAnswers && sat !== null;
    return {
      centerId: c.centerId,
      code: c.code,
      name: c.name,
      rank: null,
      score: ranked ? round1(within === null ? sat : (sat + within) / 2) : null,
      satisfiedPercent: sat,
      withinTargetPercent: within,
      answers,
      issued: c.totals.issued,
      flags,
    };
  });
  const ranked = entries
    .filter((e) => e.score !== null)
    .sort((a, b) => b.score! - a.score! || b.satisfiedPercent! - a.satisfiedPercent! || b.answers - a.answers || (a.code < b.code ? -1 : 1));
  ranked.forEach((e, i) => {
    const prev = ranked[i - 1];
    e.rank = prev && prev.score === e.score && prev.satisfiedPercent === e.satisfiedPercent ? prev.rank : i + 1;
  });
  const rest = entries.filter((e) => e.score === null).sort((a, b) => b.answers - a.answers || (a.code < b.code ? -1 : 1));
  return [...ranked, ...rest];
}
