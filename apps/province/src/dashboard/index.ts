import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createCenterAdmin } from '../admin/centers.js';
import type { ProvinceContext } from '../context.js';
import { isDatabaseUnavailable, ProvinceError } from '../errors.js';
import { createAuth, localPath, sameOrigin } from './auth.js';
import { provinceCsv, provinceXlsx, type ProvinceExport } from './export.js';
import { dayOf, localTime } from './format.js';
import { freshnessOf } from './freshness.js';
import { parseRange, type DayRange, type Preset } from './range.js';
import { rankCenters } from './ranking.js';
import { createRollup } from './rollup.js';
import { STYLESHEET } from './style.js';
import { centersAdminPage, signInPage } from './views/admin.js';
import { centerPage } from './views/center.js';
import { errorBox, page } from './views/layout.js';
import { nowPage, type CenterNowView } from './views/now.js';
import { reportPage } from './views/report.js';

/**
 * The province dashboard: server-rendered pages (no script at all, so the Content-Security-Policy
 * allows none), a JSON API with the same figures, and CSV/Excel exports.
 *
 * Pages (signed-in province admin; docs/province.md):
 *   GET  /                    centers now, and today's figures so far (refreshes itself)
 *   GET  /report              figures per center (and service) for a range, ranking, exports
 *   GET  /centers/:id         one center: now, by service, by day, its rank
 *   GET  /centers             register centers, new keys, revoke, re-bind
 *   GET  /export.csv|.xlsx    ?from=&to=[&center=id]
 * JSON (session cookie or Authorization: Bearer <PROVINCE_ADMIN_TOKEN>):
 *   GET  /api/v1/dashboard/now
 *   GET  /api/v1/dashboard/report?from=&to=[&center=id]    (or ?preset=today|7d|month|...)
 *   GET  /api/v1/dashboard/centers/:id?from=&to=
 * Figures come from the daily rollup (rollup.ts), equal to src/figures.ts by test.
 */
export const REFRESH_SECONDS = 30;

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

type Query = Record<string, string | undefined>;

export async function registerDashboard(app: FastifyInstance, ctx: ProvinceContext): Promise<void> {
  const rollup = createRollup(ctx.pool, { onError: (err) => ctx.logger.warn({ err }, 'figures rollup: compaction failed (retried on the next round)') });
  rollup.start();
  app.addHook('onClose', async () => rollup.stop());
  const auth = createAuth(app, ctx.now);
  const centersAdmin = createCenterAdmin(ctx.pool);
  const today = () => dayOf(ctx.now());

  // --- the figures every view and export shares -------------------------------------------------
  async function centersNow(): Promise<CenterNowView[]> {
    return (await ctx.figures.centersNow()).map((c) => ({ ...c, freshness: freshnessOf(c) }));
  }
  async function reportOf(range: DayRange, centerId?: number) {
    const centers = await rollup.report({ from: range.from, to: range.to });
    const ranking = rankCenters(centers);
    return { centers: centerId === undefined ? centers : centers.filter((c) => c.centerId === centerId), ranking };
  }
  function rangeOrThrow(q: Query) {
    const r = parseRange(q, today());
    if (!r.ok) throw new ProvinceError('INVALID_INPUT', r.en);
    return r;
  }
  const centerIdOf = (v: unknown): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw new ProvinceError('INVALID_INPUT', 'center must be a center id.');
    return n;
  };

  await app.register(async (scope) => {
    // Forms post as application/x-www-form-urlencoded: parsed here only (ingest takes JSON only).
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.addHook('onSend', async (req, reply) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      // same-origin: a form still carries its Origin here; no address ever leaves for another site.
      reply.header('referrer-policy', 'same-origin');
      if (!req.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    });

    scope.get('/assets/province.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(STYLESHEET));

    // --- JSON API: the same figures as the pages ---------------------------------------------------
    await scope.register(async (api) => {
      api.addHook('onRequest', async (req) => {
        if (!(await auth.allowed(req))) throw new ProvinceError('UNAUTHORIZED', 'Province admin sign-in required.');
      });
      api.get('/api/v1/dashboard/now', async () => ({ today: today(), centers: await centersNow() }));
      api.get('/api/v1/dashboard/report', async (req) => {
        const q = req.query as Query;
        const { range, preset } = rangeOrThrow(q);
        const { centers, ranking } = await reportOf(range, centerIdOf(q.center));
        return { from: range.from, to: range.to, preset, today: today(), centers, ranking };
      });
      api.get('/api/v1/dashboard/centers/:id', async (req) => {
        const id = centerIdOf((req.params as { id: string }).id)!;
        const { range } = rangeOrThrow(req.query as Query);
        const now = (await centersNow()).find((c) => c.centerId === id);
        if (!now) throw new ProvinceError('NOT_FOUND', 'No such center.');
        const [{ centers, ranking }, days] = await Promise.all([reportOf(range, id), rollup.byDay(id, range.from, range.to)]);
        return { from: range.from, to: range.to, now, figures: centers[0] ?? null, days, rank: ranking.find((r) => r.centerId === id) ?? null };
      });
    });

    // --- pages ----------------------------------------------------------------------------------
    await scope.register(async (pages) => {
      const send = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);
      pages.setErrorHandler((err, req, reply) => {
        if (err instanceof ProvinceError && err.code === 'INVALID_INPUT') {
          return send(reply, page({ title: 'Lỗi', nav: null, body: errorBox('Yêu cầu không hợp lệ.', err.message) }), 400);
        }
        if (err instanceof ProvinceError && err.code === 'NOT_FOUND') {
          return send(reply, page({ title: 'Không tìm thấy', nav: null, body: errorBox('Không tìm thấy trung tâm này.', 'No such center.') }), 404);
        }
        if (err instanceof ProvinceError && err.code === 'FORBIDDEN') {
          return send(reply, page({ title: 'Từ chối', nav: null, body: errorBox('Yêu cầu từ trang khác bị từ chối.', 'A request from another site was refused.') }), 403);
        }
        if (isDatabaseUnavailable(err)) {
          req.log.warn({ err }, 'PostgreSQL unavailable');
          return send(reply, page({ title: 'Tạm thời không có dữ liệu', nav: null, body: errorBox('Cơ sở dữ liệu của tỉnh đang không truy cập được; thử lại sau ít phút.', 'The province database is unavailable; try again in a few minutes.') }), 503);
        }
        req.log.error({ err }, 'dashboard page failed');
        return send(reply, page({ title: 'Lỗi', nav: null, body: errorBox('Lỗi hệ thống.', 'Internal error.') }), 500);
      });

      const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
        if (await auth.allowed(req)) return;
        return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
      };
      const fromThisSite = async (req: FastifyRequest) => {
        if (!sameOrigin(req)) throw new ProvinceError('FORBIDDEN', 'Cross-site form post refused.');
      };

      pages.get('/sign-in', async (req, reply) => {
        const next = localPath((req.query as Query).next);
        if (auth.sessionValid(req)) return reply.redirect(next, 303);
        return send(reply, signInPage({ next }));
      });
      pages.post('/sign-in', { onRequest: fromThisSite }, async (req, reply) => {
        const body = (req.body ?? {}) as Query;
        const next = localPath(body.next);
        const check = await auth.checkToken(body.token ?? '');
        if (check === 'ok') {
          auth.startSession(req, reply);
          req.log.info('province admin signed in to the dashboard');
          return reply.redirect(next, 303);
        }
        if (check === 'off') return send(reply, signInPage({ next, error: { vi: 'Chưa bật quản trị tỉnh: đặt PROVINCE_ADMIN_TOKEN khi chạy dịch vụ.', en: 'Admin is off: start the service with PROVINCE_ADMIN_TOKEN set.' } }), 503);
        if (check === 'unavailable') return send(reply, signInPage({ next, error: { vi: 'Tạm thời không kiểm tra được; thử lại sau.', en: 'Cannot check right now; try again later.' } }), 503);
        req.log.warn('dashboard sign-in refused: wrong token');
        return send(reply, signInPage({ next, error: { vi: 'Mã quản trị không đúng.', en: 'Wrong admin token.' } }), 401);
      });
      pages.post('/sign-out', { onRequest: fromThisSite }, async (req, reply) => {
        auth.endSession(req, reply);
        return reply.redirect('/sign-in', 303);
      });

      pages.get('/', { onRequest: signedIn }, async (_req, reply) => {
        const day = today();
        const [centers, todayReport] = await Promise.all([centersNow(), rollup.report({ from: day, to: day })]);
        return send(reply, nowPage({ today: day, madeAt: localTime(new Date(ctx.now()).toISOString()), centers, todayFigures: todayReport, refreshSeconds: REFRESH_SECONDS }));
      });

      pages.get('/report', { onRequest: signedIn }, async (req, reply) => {
        const q = req.query as Query;
        const withServices = q.services === '1';
        const r = parseRange(q, today());
        if (!r.ok) {
          const t = today();
          return send(reply, reportPage({ range: { from: t, to: t }, preset: null, centers: [], ranking: [], withServices, error: r }), 400);
        }
        const { centers, ranking } = await reportOf(r.range);
        return send(reply, reportPage({ range: r.range, preset: r.preset, centers, ranking, withServices }));
      });

      pages.get('/centers/:id', { onRequest: signedIn }, async (req, reply) => {
        const id = centerIdOf((req.params as { id: string }).id)!;
        const now = (await centersNow()).find((c) => c.centerId === id);
        if (!now) throw new ProvinceError('NOT_FOUND');
        const r = parseRange(req.query as Query, today());
        if (!r.ok) {
          const t = today();
          return send(reply, centerPage({ now, range: { from: t, to: t }, preset: null, figures: null, days: [], rank: null, rankedCount: 0, error: r }), 400);
        }
        const [{ centers, ranking }, days] = await Promise.all([reportOf(r.range, id), rollup.byDay(id, r.range.from, r.range.to)]);
        return send(
          reply,
          centerPage({ now, range: r.range, preset: r.preset as Preset | null, figures: centers[0] ?? null, days, rank: ranking.find((x) => x.centerId === id) ?? null, rankedCount: ranking.filter((x) => x.rank !== null).length }),
        );
      });

      // --- exports ----------------------------------------------------------------------------
      async function exportOf(q: Query): Promise<{ x: ProvinceExport; name: string }> {
        const { range } = rangeOrThrow(q);
        const centerId = centerIdOf(q.center);
        const { centers, ranking } = await reportOf(range, centerId);
        if (centerId !== undefined && !centers[0]) throw new ProvinceError('NOT_FOUND', 'No such center.');
        const one = centerId === undefined ? undefined : centers[0]!;
        const x: ProvinceExport = {
          from: range.from,
          to: range.to,
          madeAt: localTime(new Date(ctx.now()).toISOString()),
          centers,
          ranking: one ? ranking.filter((e) => e.centerId === one.centerId) : ranking,
          ...(one ? { days: { center: one.name, rows: await rollup.byDay(one.centerId, range.from, range.to) } } : {}),
        };
        // ASCII file names: a center code is letters, digits, . _ - (the admin API's rule).
        return { x, name: `luot-tinh-${one ? `${one.code}-` : ''}${range.from}-${range.to}` };
      }
      pages.get('/export.csv', { onRequest: signedIn }, async (req, reply) => {
        const { x, name } = await exportOf(req.query as Query);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(provinceCsv(x));
      });
      pages.get('/export.xlsx', { onRequest: signedIn }, async (req, reply) => {
        const { x, name } = await exportOf(req.query as Query);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(await provinceXlsx(x));
      });

      // --- managing centers (the admin API's use cases, from a browser) --------------------------
      const provinceUrl = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;
      const adminPage = async (req: FastifyRequest, extra: Partial<Parameters<typeof centersAdminPage>[0]> = {}) =>
        centersAdminPage({ centers: await centersAdmin.list(), provinceUrl: provinceUrl(req), ...extra });
      const adminError = (err: unknown) => {
        if (err instanceof ProvinceError && (err.code === 'CENTER_CODE_TAKEN' || err.code === 'INVALID_INPUT' || err.code === 'NOT_FOUND')) {
          const vi = { CENTER_CODE_TAKEN: 'Đã có trung tâm với mã này.', INVALID_INPUT: 'Dữ liệu không hợp lệ.', NOT_FOUND: 'Không tìm thấy trung tâm.' }[err.code];
          return { vi, en: err.message };
        }
        throw err;
      };
      pages.get('/centers', { onRequest: signedIn }, async (req, reply) => send(reply, await adminPage(req)));
      pages.post('/centers', { onRequest: [signedIn, fromThisSite] }, async (req, reply) => {
        const body = (req.body ?? {}) as Query;
        const code = (body.code ?? '').trim();
        const name = (body.name ?? '').trim();
        if (!/^[A-Za-z0-9._-]{1,40}$/.test(code) || name.length < 1 || name.length > 200) {
          return send(reply, await adminPage(req, { error: { vi: 'Mã: chữ không dấu, số, . _ - (tối đa 40); tên: 1 đến 200 ký tự.', en: 'Code: letters, digits, . _ - (at most 40); name: 1 to 200 characters.' } }), 400);
        }
        try {
          const c = await centersAdmin.register(code, name);
          req.log.info({ center: c.code, id: c.id }, 'center registered (dashboard)');
          return send(reply, await adminPage(req, { shownKey: { center: c, key: c.key } }), 201);
        } catch (err) {
          return send(reply, await adminPage(req, { error: adminError(err) }), 409);
        }
      });
      const action = (path: string, run: (id: number) => Promise<{ key?: string } & Parameters<typeof centersAdminPage>[0]['centers'][number]>, done: { vi: string; en: string }) =>
        pages.post(path, { onRequest: [signedIn, fromThisSite] }, async (req, reply) => {
          const id = centerIdOf((req.params as { id: string }).id)!;
          try {
            const c = await run(id);
            req.log.info({ center: c.code, action: path }, 'center changed (dashboard)');
            return send(reply, await adminPage(req, c.key ? { shownKey: { center: c, key: c.key } } : { done: { vi: `${done.vi}: ${c.name}`, en: done.en } }));
          } catch (err) {
            return send(reply, await adminPage(req, { error: adminError(err) }), 404);
          }
        });
      action('/centers/:id/key', (id) => centersAdmin.newKey(id), { vi: 'Đã tạo khóa mới', en: 'New key made' });
      action('/centers/:id/revoke', (id) => centersAdmin.revoke(id), { vi: 'Đã thu hồi khóa', en: 'Key revoked' });
      action('/centers/:id/rebind', (id) => centersAdmin.rebind(id), { vi: 'Lô dữ liệu tiếp theo sẽ gắn khóa với cơ sở dữ liệu gửi nó', en: 'The next batch binds the key again' });
    });
  });
}
