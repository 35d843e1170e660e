import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface WebRoots {
  /** A center's own voice recordings (<data dir>/voice/<lang>/), served before the built-in clips. */
  voice?: string;
  /** apps/counter-display/dist: counter, display, admin, citizen ticket page. */
  app: string;
  /** apps/kiosk/dist/renderer */
  kiosk: string;
}

const APP_PAGES = ['/counter', '/display', '/admin', '/rating'];
/** The citizen's ticket page: its own light entry, ticket.html (index.html on a build without it). */
const TICKET_PAGE = '/t/:id';

/** `/admin/?x=1` -> `/admin?x=1` (the query kept as sent). */
function withoutTrailingSlash(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.replace(/\/+$/, '') + (q < 0 ? '' : url.slice(q));
}

/**
 * The web pages, served by the same server (the LAN has no other). @fastify/static keeps every
 * path inside its folder; the pages are single-page apps answering their routes with index.html.
 */
export async function registerPages(app: FastifyInstance, roots: WebRoots) {
  const notBuilt = (name: string) => `<!doctype html><meta charset="utf-8"><title>Luot</title>
<p>Giao diện ${name} chưa được build. Chạy <code>pnpm build</code>.</p><p>The ${name} UI is not built. Run <code>pnpm build</code>.</p>`;

  // reply.sendFile is decorated by the first registration only.
  let decorated = false;
  if (existsSync(join(roots.app, 'index.html'))) {
    await app.register(fastifyStatic, { root: roots.app, prefix: '/ui/', decorateReply: !decorated, index: false });
    decorated = true;
    for (const page of APP_PAGES) app.get(page, (_req, reply) => reply.sendFile('index.html', roots.app, { maxAge: 0 }));
    const ticketPage = existsSync(join(roots.app, 'ticket.html')) ? 'ticket.html' : 'index.html';
    app.get(TICKET_PAGE, (_req, reply) => reply.sendFile(ticketPage, roots.app, { maxAge: 0 }));
  } else {
    for (const page of APP_PAGES) app.get(page, (_req, reply) => reply.status(503).type('text/html').send(notBuilt('counter-display')));
    app.get(TICKET_PAGE, (_req, reply) => reply.status(503).type('text/html').send(notBuilt('counter-display')));
  }

  if (existsSync(join(roots.kiosk, 'index.html'))) {
    await app.register(fastifyStatic, { root: roots.kiosk, prefix: '/kiosk/', decorateReply: !decorated, index: false });
    decorated = true;
    app.get('/kiosk', (_req, reply) => reply.sendFile('index.html', roots.kiosk, { maxAge: 0 }));
  } else {
    app.get('/kiosk', (_req, reply) => reply.status(503).type('text/html').send(notBuilt('kiosk')));
  }

  // A page path typed or bookmarked with a trailing slash (/admin/, /kiosk/#token=…) goes to the
  // page itself: a redirect (not the page served at a second address), keeping the query; the
  // browser keeps the #fragment (a kiosk's or TV's token) across it.
  for (const page of [...APP_PAGES, '/kiosk', TICKET_PAGE]) {
    app.get(`${page}/`, (req, reply) => reply.redirect(withoutTrailingSlash(req.url), 302));
  }

  // Voice clips: a center's own recording when it has one, else the built-in clip, from one URL
  // (the TV asks /voice/vi/<clip>.ogg; no 404 for every word of every call).
  const CLIP = /^[a-z0-9_-]{1,40}\.(ogg|wav|mp3)$/;
  app.get<{ Params: { lang: string; file: string } }>('/voice/:lang/:file', (req, reply) => {
    const { lang, file } = req.params;
    const notFound = () => reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'No such voice clip.', messageVi: 'Không có đoạn âm thanh này.' } });
    if (!/^[a-z]{2}$/.test(lang) || !CLIP.test(file)) return notFound();
    // The center's own recording of the clip, in whatever format it is (the voice studio installs
    // WAV, a file dropped by hand may be Ogg or MP3), wins over the built-in clip asked for.
    if (roots.voice && decorated) {
      const own = join(roots.voice, lang);
      const stem = file.slice(0, file.lastIndexOf('.'));
      for (const name of [file, `${stem}.wav`, `${stem}.ogg`, `${stem}.mp3`]) {
        if (existsSync(join(own, name))) return reply.sendFile(name, own, { maxAge: 0 });
      }
    }
    const builtIn = join(roots.app, 'voice', lang);
    if (decorated && existsSync(join(builtIn, file))) return reply.sendFile(file, builtIn, { maxAge: 0 });
    return notFound();
  });

  app.get('/', (_req, reply) =>
    reply.type('text/html').send(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>Luot</title>
<h1>Luot — Hệ thống xếp hàng / Queue system</h1>
<ul>
<li><a href="/kiosk">Kiosk lấy số / Ticket kiosk</a></li>
<li><a href="/counter">Quầy giao dịch / Counter</a></li>
<li><a href="/display">Màn hình phòng chờ / Waiting-room TV</a></li>
<li><a href="/admin">Quản trị / Admin</a></li>
</ul></html>`),
  );
}
