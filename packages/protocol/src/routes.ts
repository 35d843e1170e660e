import {
  AuditQuery,
  CenterSettingsPatch,
  CounterCreateBody,
  CounterPatchBody,
  DossierCodeBody,
  PhoneRatingBody,
  PhoneReasonBody,
  RatingAnswerBody,
  RatingBody,
  RatingReasonBody,
  ReportQuery,
  ServiceCreateBody,
  ServicePatchBody,
  UserPatchBody,
  type AuditEntry,
  type CenterSettings,
  type CounterConfig,
  type DeviceInfo,
  type DissatisfiedRating,
  type PhoneRatingState,
  type RatingForm,
  type RatingRecorded,
  type RatingSettings,
  type Report,
  type ServiceConfig,
  type TicketDossier,
  type UserInfo,
} from './admin.js';
import type { DeviceAlert } from './events.js';
import { PrinterCreateBody, PrinterPatchBody, ServerPrintBody, type PrinterInfo, type ServerPrintOutcome } from './printing.js';
import type { ProvinceLink } from './province.js';
import type { BackupStatus } from './backups.js';
import { defineRoute as route, file, json, noContent, rawBody, type RouteDef } from './route-table.js';
import {
  AlertBody,
  CallTicketBody,
  CancelTicketBody,
  CounterActionBody,
  CreateDeviceBody,
  CreateUserBody,
  IdParam,
  IdempotencyKey,
  IssueTicketBody,
  LoginBody,
  PrintFailedBody,
  TicketIdParam,
  TransferBody,
  type CallNextResult,
  type Counter,
  type CounterCitizen,
  type Device,
  type DeviceRevoked,
  type Health,
  type LoginResult,
  type PrintFailedResult,
  type PublicTicket,
  type Service,
  type SessionsRevoked,
  type Ticket,
  type TicketResult,
  type User,
} from './schemas.js';
import { z } from 'zod';
import { VoiceClipParam, VoiceLangParam, type ClipInstalled, type VoiceInstalled, type VoiceOverview, type VoicePackFile, type VoiceRemoved, type VoiceVersion } from './voice.js';

/**
 * POST /tickets/abandon: the kiosk gave up on a tap (no answer to its issue request within its
 * retry window) and says so, naming the tap by its Idempotency-Key.
 */
export const AbandonIssueBody = z.strictObject({ idempotencyKey: IdempotencyKey });
/**
 * What became of an abandoned tap. `cancelled`: the server had issued a ticket for it, still
 * waiting, and it is cancelled now (or was already cancelled), `ticket` is it. `called`: that ticket
 * was already called (someone is at a counter with it): left alone, `ticket` is it. `not_issued`:
 * no ticket for this key; the key is kept as abandoned for the rest of the day, so a late request
 * with it is refused (409 `ISSUE_ABANDONED`) instead of issuing.
 */
export type AbandonIssueResult = { outcome: 'cancelled' | 'called'; ticket: Ticket } | { outcome: 'not_issued' };

export type { BackupStatus } from './backups.js';

const ADMIN = ['admin'] as const;
const STAFF = ['admin', 'officer'] as const;
const KIOSK_OR_ADMIN = ['kiosk', 'admin'] as const;
const DISPLAY_OR_ADMIN = ['display', 'admin'] as const;

/** The counter actions on a citizen: their shared rule, said once in the docs. */
const EXPECT = 'a stale `expectTicketId` is 409 `STALE_REQUEST` and changes nothing (see below)';

/**
 * Every HTTP route of the API under /api/v1, in the order docs/api.md lists them. The server
 * registers each from its entry (role check, parsing of params, query and body, success status),
 * `@luot/client` calls each by its entry (path, method, typed input and answer), the role matrix
 * test checks each against every role, and docs/api.md's route table is rendered from them
 * (`pnpm gen:api-doc`; a test fails when the file differs). Ownership rules (an officer and the
 * counter they hold) are checked by the use cases and described in `doc`.
 */
export const ROUTES = {
  // ---- open ----
  health: route({ method: 'GET', path: '/health', roles: 'public', answer: json<Health>('{status:"ok", version}'), doc: '' }),
  login: route({
    method: 'POST',
    path: '/auth/login',
    roles: 'public',
    body: LoginBody,
    answer: json<LoginResult>('LoginResult {token, user:{id, username, role}}'),
    doc: '401 `INVALID_CREDENTIALS` (also for an unknown or disabled user); 429 `TOO_MANY_REQUESTS` with `Retry-After: <seconds>`, whatever the password (the client is not told which limit). The username is matched in any case and Unicode form. Every success, failure and throttled attempt is in the audit log with the address',
  }),
  logout: route({
    method: 'POST',
    path: '/auth/logout',
    roles: STAFF,
    refusedRole: 'A device is signed out by revoking it on the admin pages.',
    answer: noContent(),
    status: 204,
    doc: 'the presenting token is revoked and the sockets opened with it are cut; 403 for a device token (a device is revoked by an admin) (**added**)',
  }),
  services: route({ method: 'GET', path: '/services', roles: 'public', answer: json<Service[]>('Service[]'), doc: 'the active services, by sort order, with `open`, `waiting` and `estimatedWaitMinutes`' }),
  ticket: route({
    method: 'GET',
    path: '/tickets/:id',
    roles: 'public',
    params: TicketIdParam,
    answer: json<PublicTicket>('PublicTicket'),
    doc: 'the ticket id (unguessable) is the authority: `{id, number, serviceId, status, ahead, counterNumber?, estimatedWaitMinutes?, nowServing?, calls?, serviceName?}`',
  }),

  // ---- tickets: kiosks ----
  issueTicket: route({
    method: 'POST',
    path: '/tickets',
    roles: KIOSK_OR_ADMIN,
    body: IssueTicketBody,
    headers: 'Idempotency-Key',
    answer: json<Ticket>('Ticket'),
    status: 201,
    doc: 'with `ahead`, `estimatedWaitMinutes`; 409 `SERVICE_CLOSED` / `DAILY_LIMIT_REACHED`; 404 `SERVICE_NOT_FOUND`; 429 `TOO_MANY_REQUESTS` past the kiosk\'s rate limit. With an `Idempotency-Key` header a retry returns the same ticket, also after a restart ([below](#idempotency-key-one-tap-one-ticket), **added**). `checkIn` (**added**, issue 16): the four fields of a scanned ID card, checked again by the server, refused as `INVALID_INPUT` with the rule\'s code only ([privacy.md](privacy.md))',
  }),
  abandonIssue: route({
    method: 'POST',
    path: '/tickets/abandon',
    roles: ['kiosk'],
    refusedRole: 'Only the kiosk that made the request can give it up.',
    body: AbandonIssueBody,
    answer: json<AbandonIssueResult>('{outcome, ticket?}'),
    doc: 'the kiosk gave up on a tap (its issue request went unanswered for 20 s) and told the citizen no number was issued: the ticket this kiosk\'s `idempotencyKey` got today, if still waiting, is cancelled (reason `not_printed`, `ticket:updated`): `{outcome:"cancelled", ticket}`; one already called is left alone: `{outcome:"called", ticket}`; a key that got no ticket is kept as abandoned for the day, and a late `POST /tickets` with it is 409 `ISSUE_ABANDONED`, issuing nothing: `{outcome:"not_issued"}`. Repeating it gives the same answer ([ADR 0002](adr/0002-print-confirmation.md), **added**)',
  }),
  printTicket: route({
    method: 'POST',
    path: '/tickets/:id/print',
    roles: KIOSK_OR_ADMIN,
    params: TicketIdParam,
    body: ServerPrintBody,
    optionalBody: true,
    answer: json<ServerPrintOutcome>('ServerPrintOutcome'),
    doc: '`{printed:true, duplicate?}` or `{printed:false, code, message, messageVi, printerError?}`: the server prints on the network printer of the kiosk that issued it, once per ticket; a kiosk prints only its own tickets (403), a ticket no longer waiting is 409 `TICKET_NOT_WAITING`; only an admin may ask `reprint` (**added**, for plain-browser kiosks: [printing.md](printing.md))',
  }),
  printFailed: route({
    method: 'POST',
    path: '/tickets/:id/print-failed',
    roles: KIOSK_OR_ADMIN,
    params: TicketIdParam,
    body: PrintFailedBody,
    optionalBody: true,
    answer: json<PrintFailedResult>('{ticket, kept}'),
    doc: 'the kiosk could not print it: cancelled (reason `not_printed`) unless the center keeps unprinted tickets (`kept:true`) (**added**)',
  }),
  cancelTicket: route({
    method: 'POST',
    path: '/tickets/:id/cancel',
    roles: STAFF,
    params: TicketIdParam,
    body: CancelTicketBody,
    optionalBody: true,
    answer: json<TicketResult>('{ticket}'),
    doc: 'status `cancelled`; an officer cancels only the ticket served at a counter they hold or a waiting ticket of a service a counter they hold (open or paused) serves, else 403 `NOT_YOUR_COUNTER` (**added**)',
  }),
  reportAlert: route({
    method: 'POST',
    path: '/alerts',
    roles: ['kiosk', 'display'],
    body: AlertBody,
    answer: json<DeviceAlert>('DeviceAlert'),
    doc: 'sent to staff as `device:alert` (an all-clear for an alert not active is answered and sent to nobody). Per device at most 5 distinct codes active (a new 6th is 429 `TOO_MANY_REQUESTS` until one is cleared) and 10 reports at once, 30 a minute (429 with `Retry-After`); `device_offline` is the server\'s own code (400). A revoked device\'s alerts are cleared (**added**)',
  }),
  alerts: route({ method: 'GET', path: '/alerts', roles: STAFF, answer: json<DeviceAlert[]>('DeviceAlert[]'), doc: 'the active device alerts (**added**)' }),

  // ---- counters: an officer acts on the counter they opened, an admin on any ----
  counters: route({
    method: 'GET',
    path: '/counters',
    roles: ['admin', 'officer', 'kiosk', 'display'],
    answer: json<Counter[]>('Counter[]'),
    doc: '`[{id, number, name, serviceIds, state, officer?, currentTicket?}]`; `officer` (who works there) only for staff: a kiosk or TV is told no person (**added**)',
  }),
  openCounter: route({ method: 'POST', path: '/counters/:id/open', roles: STAFF, params: IdParam, answer: json<Counter>('Counter'), doc: '409 `COUNTER_TAKEN` when another officer holds it' }),
  pauseCounter: route({ method: 'POST', path: '/counters/:id/pause', roles: STAFF, params: IdParam, answer: json<Counter>('Counter'), doc: '`paused`: call-next answers `COUNTER_PAUSED`' }),
  closeCounter: route({ method: 'POST', path: '/counters/:id/close', roles: STAFF, params: IdParam, answer: json<Counter>('Counter'), doc: 'completes the ticket being served and frees the counter' }),
  callNext: route({
    method: 'POST',
    path: '/counters/:id/call-next',
    roles: STAFF,
    params: IdParam,
    body: CounterActionBody,
    optionalBody: true,
    answer: json<CallNextResult>('{ticket}'),
    doc: `\`{ticket:null}\` when none waits; completes the one being served first; ${EXPECT}`,
  }),
  recall: route({ method: 'POST', path: '/counters/:id/recall', roles: STAFF, params: IdParam, body: CounterActionBody, optionalBody: true, answer: json<TicketResult>('{ticket}'), doc: `409 \`NO_CURRENT_TICKET\`; ${EXPECT}` }),
  complete: route({ method: 'POST', path: '/counters/:id/complete', roles: STAFF, params: IdParam, body: CounterActionBody, optionalBody: true, answer: json<TicketResult>('{ticket}'), doc: `status \`done\`; ${EXPECT}` }),
  noShow: route({ method: 'POST', path: '/counters/:id/no-show', roles: STAFF, params: IdParam, body: CounterActionBody, optionalBody: true, answer: json<TicketResult>('{ticket}'), doc: `status \`no_show\`; ${EXPECT}` }),
  transfer: route({
    method: 'POST',
    path: '/counters/:id/transfer',
    roles: STAFF,
    params: IdParam,
    body: TransferBody,
    answer: json<TicketResult>('{ticket}'),
    doc: `with its new \`ahead\`: back to \`waiting\` at the end of that service's queue, same number; ${EXPECT}`,
  }),
  callTicket: route({
    method: 'POST',
    path: '/counters/:id/call',
    roles: STAFF,
    params: IdParam,
    body: CallTicketBody,
    answer: json<TicketResult>('{ticket}'),
    doc: `a chosen waiting ticket, or today's no-show within the call-back window (30 min); a ticket of an earlier day is 409 \`INVALID_TRANSITION\`; ${EXPECT}`,
  }),
  counterNoShows: route({
    method: 'GET',
    path: '/counters/:id/no-shows',
    roles: STAFF,
    params: IdParam,
    answer: json<Ticket[]>('Ticket[]'),
    doc: "today's no-shows of the services this counter serves that can still be called back (within the center's call-back window), newest first, at most 20: what the desk lists under \"Vắng mặt gần đây\" after a reload or a reconnect (**added**)",
  }),
  counterCitizen: route({
    method: 'GET',
    path: '/counters/:id/citizen',
    roles: STAFF,
    params: IdParam,
    answer: json<CounterCitizen>('CounterCitizen'),
    doc: 'the checked-in citizen of the ticket the counter serves (name, year of birth, sex, visits), `{citizen:null}` when none; only the officer holding that counter (else 403 `NOT_YOUR_COUNTER`) or an admin; never in a socket message (**added**, [privacy.md](privacy.md))',
  }),

  // ---- ratings and the dossier code (issue 15) ----
  ratingForm: route({ method: 'GET', path: '/ratings/form', roles: DISPLAY_OR_ADMIN, answer: json<RatingForm>('RatingForm'), doc: "the center's scale with its levels, best first, and the reasons (**added**)" }),
  rateAnswer: route({
    method: 'POST',
    path: '/ratings/answer',
    roles: DISPLAY_OR_ADMIN,
    body: RatingAnswerBody,
    answer: json<RatingRecorded>('RatingRecorded'),
    status: 201,
    doc: 'the rating tablet at a counter: one answer per ticket, on the scale it was shown; `asksReason` after Không hài lòng or below (**added**)',
  }),
  rateReason: route({ method: 'POST', path: '/ratings/reason', roles: DISPLAY_OR_ADMIN, body: RatingReasonBody, answer: json<RatingRecorded>('RatingRecorded'), doc: 'the one-tap reason after Không hài lòng or below (**added**)' }),
  rateLegacy: route({
    method: 'POST',
    path: '/ratings',
    roles: DISPLAY_OR_ADMIN,
    body: RatingBody,
    answer: json<{ ticketId: string; score: number }>('{ticketId, score}'),
    status: 201,
    doc: 'tablet pages from before issue 15: one rating per ticket on the 4-level scale (4 Rất hài lòng … 1 Không hài lòng), for a ticket done within the last 15 minutes',
  }),
  phoneRatingState: route({
    method: 'GET',
    path: '/tickets/:id/rating',
    roles: 'public',
    params: TicketIdParam,
    answer: json<PhoneRatingState>('PhoneRatingState'),
    doc: 'for the phone page, the ticket id being the authority: `open` (with the form, until `closesAt`), `rated`, `closed` or `not_served` (**added**)',
  }),
  phoneRate: route({
    method: 'POST',
    path: '/tickets/:id/rating',
    roles: 'public',
    params: TicketIdParam,
    body: PhoneRatingBody,
    answer: json<RatingRecorded>('RatingRecorded'),
    status: 201,
    doc: 'the citizen rates from the phone page, once, within 2 hours of being served (**added**)',
  }),
  phoneReason: route({ method: 'POST', path: '/tickets/:id/rating/reason', roles: 'public', params: TicketIdParam, body: PhoneReasonBody, answer: json<RatingRecorded>('RatingRecorded'), doc: 'the reason, from the phone page (**added**)' }),
  dossierCode: route({
    method: 'GET',
    path: '/tickets/:id/dossier-code',
    roles: STAFF,
    params: TicketIdParam,
    answer: json<TicketDossier>('TicketDossier'),
    doc: 'the ticket\'s dossier code ("mã hồ sơ"); an officer only for a ticket of theirs, else 403 `NOT_YOUR_COUNTER` (**added**)',
  }),
  setDossierCode: route({
    method: 'PUT',
    path: '/tickets/:id/dossier-code',
    roles: STAFF,
    params: TicketIdParam,
    body: DossierCodeBody,
    answer: json<TicketDossier>('TicketDossier'),
    doc: 'typed or scanned, kept in capitals; null removes it; the same ownership rule (**added**)',
  }),

  // ---- devices and users ----
  createDevice: route({
    method: 'POST',
    path: '/devices',
    roles: ADMIN,
    body: CreateDeviceBody,
    answer: json<Device>('Device {id, kind, name, token}'),
    status: 201,
    doc: 'the token is shown once',
  }),
  revokeDevice: route({ method: 'POST', path: '/devices/:id/revoke', roles: ADMIN, params: IdParam, answer: json<DeviceRevoked>('{id, revoked:true}'), doc: 'its sockets are disconnected and its alerts cleared (**added**)' }),
  createUser: route({
    method: 'POST',
    path: '/users',
    roles: ADMIN,
    body: CreateUserBody,
    answer: json<User>('User {id, username, role}'),
    status: 201,
    doc: '409 `USERNAME_TAKEN` (the same name in any case or Unicode form) or `USERNAME_CONFUSABLE` (a look-alike; `message` names the existing user)',
  }),
  revokeSessions: route({
    method: 'POST',
    path: '/users/:id/revoke-sessions',
    roles: ADMIN,
    params: IdParam,
    answer: json<SessionsRevoked>('{id, revoked}'),
    doc: 'how many live tokens ended: the user is signed out everywhere and every socket of theirs is cut, without changing the password (a lost tablet); 404 `NOT_FOUND` (**added**)',
  }),

  // ---- administration (every change is written to the audit log) ----
  settings: route({ method: 'GET', path: '/admin/settings', roles: ADMIN, answer: json<CenterSettings & RatingSettings>('CenterSettings & RatingSettings'), doc: "the center's settings (**added**)" }),
  updateSettings: route({
    method: 'PATCH',
    path: '/admin/settings',
    roles: ADMIN,
    body: CenterSettingsPatch,
    answer: json<CenterSettings & RatingSettings>('CenterSettings & RatingSettings'),
    doc: 'any of the settings; a change of what screens show (name, news line, footer, time zone, the TV\'s announcement settings, check-in) is sent to every screen as `center:updated`. `announceMaxLagSeconds` (3-120, default 10): the TV drops a call announcement that would start later than this after the call; `announceRepeat` (default `false`): the TV reads each call twice; `ratingScale` 3, 4 or 5 (**added**)',
  }),
  adminServices: route({ method: 'GET', path: '/admin/services', roles: ADMIN, answer: json<ServiceConfig[]>('ServiceConfig[]'), doc: 'every service, active or not (**added**)' }),
  createService: route({ method: 'POST', path: '/admin/services', roles: ADMIN, body: ServiceCreateBody, answer: json<ServiceConfig>('ServiceConfig'), status: 201, doc: 'sent as `service:updated` (**added**)' }),
  updateService: route({
    method: 'PATCH',
    path: '/admin/services/:id',
    roles: ADMIN,
    params: IdParam,
    body: ServicePatchBody,
    answer: json<ServiceConfig>('ServiceConfig'),
    doc: 'sent as `service:updated`; `active:false` removes it from the screens (**added**)',
  }),
  adminCounters: route({ method: 'GET', path: '/admin/counters', roles: ADMIN, answer: json<CounterConfig[]>('CounterConfig[]'), doc: '`serviceIds` in serving order, `priorityMode` (**added**)' }),
  createCounter: route({ method: 'POST', path: '/admin/counters', roles: ADMIN, body: CounterCreateBody, answer: json<CounterConfig>('CounterConfig'), status: 201, doc: 'sent as `counter:updated` (**added**)' }),
  updateCounter: route({
    method: 'PATCH',
    path: '/admin/counters/:id',
    roles: ADMIN,
    params: IdParam,
    body: CounterPatchBody,
    answer: json<CounterConfig>('CounterConfig'),
    doc: 'retiring a counter (`active:false`) closes it; sent as `counter:updated` (**added**)',
  }),
  adminUsers: route({ method: 'GET', path: '/admin/users', roles: ADMIN, answer: json<UserInfo[]>('UserInfo[]'), doc: '(**added**)' }),
  updateUser: route({
    method: 'PATCH',
    path: '/admin/users/:id',
    roles: ADMIN,
    params: IdParam,
    body: UserPatchBody,
    answer: json<UserInfo>('UserInfo'),
    doc: 'the last active admin cannot be demoted or disabled; a new password, a disable or an admin\'s demotion ends every session of the user and cuts their sockets (an admin who changes their own password signs in again) (**added**)',
  }),
  adminDevices: route({ method: 'GET', path: '/admin/devices', roles: ADMIN, answer: json<DeviceInfo[]>('DeviceInfo[]'), doc: '`[{id, kind, name, createdAt, lastSeenAt, revoked}]` (**added**)' }),
  audit: route({
    method: 'GET',
    path: '/admin/audit',
    roles: ADMIN,
    query: AuditQuery,
    answer: json<AuditEntry[]>('AuditEntry[]'),
    doc: 'newest first, at most `limit` (default 200); `kind` `changes` (default) or `sign-ins`; each entry with a sentence (`summary`) and labelled `details`, never a password (**added**)',
  }),
  report: route({
    method: 'GET',
    path: '/admin/reports',
    roles: ADMIN,
    query: ReportQuery,
    answer: json<Report>('Report'),
    doc: '`from` and `to` are `YYYY-MM-DD`, at most 366 days: totals and rows per service, counter, officer and day (issued, served, noShow, cancelled, open, priority, wait and service time avg/median/p90 in minutes, within-target, transfers, % hài lòng), arrivals per hour; see below how they count (**added**)',
  }),
  reportCsv: route({
    method: 'GET',
    path: '/admin/reports.csv',
    roles: ADMIN,
    query: ReportQuery,
    answer: file('CSV file'),
    doc: 'the same report as CSV for a Vietnamese Excel (UTF-8 with BOM, `;` between fields, `,` decimals), with every rating and its dossier code (**added**)',
  }),
  reportXlsx: route({ method: 'GET', path: '/admin/reports.xlsx', roles: ADMIN, query: ReportQuery, answer: file('Excel file'), doc: 'the same report as an Excel workbook (**added**)' }),
  unseenRatings: route({ method: 'GET', path: '/admin/ratings/unseen', roles: ADMIN, answer: json<DissatisfiedRating[]>('DissatisfiedRating[]'), doc: 'the Không hài lòng answers the director has not marked as seen (**added**)' }),
  markRatingSeen: route({ method: 'POST', path: '/admin/ratings/:id/seen', roles: ADMIN, params: IdParam, answer: json<DissatisfiedRating>('DissatisfiedRating'), doc: '(**added**)' }),
  province: route({
    method: 'GET',
    path: '/admin/province',
    roles: ADMIN,
    answer: json<ProvinceLink>('ProvinceLink'),
    doc: 'the link to the province roll-up: configured or not, its state (`ok`, `retrying`, `refused`, `off`), the last seq acknowledged, how far behind, the last success and error; never the key (**added**, [province.md](province.md))',
  }),
  backups: route({
    method: 'GET',
    path: '/admin/backups',
    roles: ADMIN,
    answer: json<BackupStatus>('BackupStatus'),
    doc: 'the nightly backup: the folder (`LUOT_BACKUP_DIR`, null when not set) and whether it is there now, how many are kept, the daily time, the newest backup (time, file name, bytes) and the last failure (**added**, [operations.md](operations.md#backups))',
  }),

  // ---- the printer list (admin, docs/printing.md) ----
  printers: route({ method: 'GET', path: '/admin/printers', roles: ADMIN, answer: json<PrinterInfo[]>('PrinterInfo[]'), doc: '(**added**)' }),
  createPrinter: route({
    method: 'POST',
    path: '/admin/printers',
    roles: ADMIN,
    body: PrinterCreateBody,
    answer: json<PrinterInfo>('PrinterInfo'),
    status: 201,
    doc: 'an IP address on the center\'s own network only (`tcp://192.168.1.50:9100`), one entry per address; the kiosks listed move to it; a wrong field is named in Vietnamese and English (**added**)',
  }),
  updatePrinter: route({ method: 'PATCH', path: '/admin/printers/:id', roles: ADMIN, params: IdParam, body: PrinterPatchBody, answer: json<PrinterInfo>('PrinterInfo'), doc: 'the same rules (**added**)' }),
  deletePrinter: route({ method: 'POST', path: '/admin/printers/:id/delete', roles: ADMIN, params: IdParam, answer: json<{ id: number; deleted: true }>('{id, deleted:true}'), doc: '(**added**)' }),
  testPrinter: route({
    method: 'POST',
    path: '/admin/printers/:id/test',
    roles: ADMIN,
    params: IdParam,
    answer: json<ServerPrintOutcome>('ServerPrintOutcome'),
    doc: "a test page at the printer's width and in its mode, with the printer's answer (**added**)",
  }),

  // ---- the voice studio (docs/voice.md) ----
  voiceVersion: route({ method: 'GET', path: '/voice/:lang/version', roles: 'public', params: VoiceLangParam, answer: json<VoiceVersion>('{version}'), doc: 'what the TV checks before each announcement (**added**)' }),
  voice: route({ method: 'GET', path: '/voice/:lang', roles: ADMIN, params: VoiceLangParam, answer: json<VoiceOverview>('VoiceOverview'), doc: "the clips the TV reads, with the center's own recording of each (**added**)" }),
  installClip: route({
    method: 'PUT',
    path: '/voice/:lang/clips/:clip',
    roles: ADMIN,
    params: VoiceClipParam,
    body: rawBody<Uint8Array>('a WAV file'),
    answer: json<ClipInstalled>('VoiceOverview & {installed, durationMs}'),
    doc: '16-bit PCM WAV, at most 1 MB and 8 s; a known clip name only (**added**)',
  }),
  removeClip: route({ method: 'DELETE', path: '/voice/:lang/clips/:clip', roles: ADMIN, params: VoiceClipParam, answer: json<VoiceRemoved>('VoiceOverview & {removed}'), doc: 'back to the built-in clip (**added**)' }),
  resetVoice: route({ method: 'DELETE', path: '/voice/:lang', roles: ADMIN, params: VoiceLangParam, answer: json<VoiceRemoved>('VoiceOverview & {removed}'), doc: 'every own clip removed: the built-in voice (**added**)' }),
  exportVoice: route({ method: 'GET', path: '/voice/:lang/pack', roles: ADMIN, params: VoiceLangParam, answer: file('voice file (luot-voice JSON)'), doc: "the center's own WAV clips as one file (**added**)" }),
  importVoice: route({
    method: 'POST',
    path: '/voice/:lang/pack',
    roles: ADMIN,
    params: VoiceLangParam,
    body: rawBody<VoicePackFile>('a luot-voice file'),
    answer: json<VoiceInstalled>('VoiceOverview & {installed}'),
    doc: 'every clip checked first; one bad clip refuses the whole file (**added**)',
  }),
} as const satisfies Record<string, RouteDef>;

export type RouteId = keyof typeof ROUTES;
export type Routes = typeof ROUTES;

/** The counter's actions by the last segment of their path (`/counters/:id/<action>`), for pages that send them by name. */
export const COUNTER_ACTIONS = {
  open: ROUTES.openCounter,
  pause: ROUTES.pauseCounter,
  close: ROUTES.closeCounter,
  'call-next': ROUTES.callNext,
  recall: ROUTES.recall,
  complete: ROUTES.complete,
  'no-show': ROUTES.noShow,
  transfer: ROUTES.transfer,
  call: ROUTES.callTicket,
} as const;
export type CounterActionName = keyof typeof COUNTER_ACTIONS;
