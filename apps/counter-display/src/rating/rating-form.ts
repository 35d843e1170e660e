import { ratingForm, type RatingForm, type RatingScale } from '@luot/protocol';

/**
 * The levels the tablet shows: the center's scale as the server last said (GET /ratings/form),
 * remembered on the tablet so a citizen never waits for it, and three levels before the first
 * answer (the default). The server is asked again each time a citizen is asked, so a scale the
 * admin changed shows from the next citizen on.
 */
const KEY = 'luot.rating.scale';

export function cachedForm(): RatingForm {
  const n = Number(localStorage.getItem(KEY));
  return ratingForm(n === 4 || n === 5 ? (n as RatingScale) : 3);
}

export function rememberForm(form: RatingForm): void {
  localStorage.setItem(KEY, String(form.scale));
}
