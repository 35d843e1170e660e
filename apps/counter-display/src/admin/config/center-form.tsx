import type { CenterSettings } from '@luot/protocol';
import { CenterSettingsPatch, ROUTES } from '@luot/protocol';
import { ApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { Field } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';
import { FormFooter, FormLoading, useSettingsForm } from '../settings-form.js';

/** The ID-card check-in settings have a section of their own; this form leaves them as they are. */
type CheckInKey = 'checkInEnabled' | 'priorityAge' | 'checkInNameDays' | 'returningVisitorDays';
type Form = Record<Exclude<keyof CenterSettings, 'announceRepeat' | CheckInKey>, string> & { announceRepeat: boolean };

/** The TV's announcement lag bounds (CenterSettings in packages/protocol/src/admin.ts). */
const LAG_MIN = 3;
const LAG_MAX = 120;

const toForm = (s: CenterSettings): Form => ({
  centerName: s.centerName,
  timeZone: s.timeZone,
  maxPriorityInRow: String(s.maxPriorityInRow),
  noShowCallBackMinutes: String(s.noShowCallBackMinutes),
  printFailure: s.printFailure,
  waitSampleSize: String(s.waitSampleSize),
  tickerText: s.tickerText,
  ticketFooter: s.ticketFooter,
  // Absent from an older server's answer: show the defaults the TV uses then.
  announceMaxLagSeconds: String(s.announceMaxLagSeconds ?? 10),
  announceRepeat: s.announceRepeat ?? false,
});

/**
 * The lag field checked on its own, so the officer reads what is wrong in words rather than a
 * schema path: a whole number of seconds from 3 to 120.
 */
function lagError(value: string): ApiError | null {
  const n = Number(value);
  if (value.trim() !== '' && Number.isInteger(n) && n >= LAG_MIN && n <= LAG_MAX) return null;
  return new ApiError(400, {
    code: 'INVALID_INPUT',
    messageVi: `Độ trễ tối đa của lời gọi phải là số nguyên giây, từ ${LAG_MIN} đến ${LAG_MAX}.`,
    message: `The announcement's maximum lag must be a whole number of seconds from ${LAG_MIN} to ${LAG_MAX}.`,
  });
}

/** The center: name, time zone, TV news line, ticket footer, calling rules, the TV's voice. */
export function CenterSettingsForm() {
  const { call } = useAdmin();
  const f = useSettingsForm({
    load: () => call(ROUTES.settings),
    toForm,
    check: (form: Form) => {
      const badLag = lagError(form.announceMaxLagSeconds);
      if (badLag) return { ok: false, error: badLag };
      return validate(CenterSettingsPatch, {
        ...form,
        maxPriorityInRow: Number(form.maxPriorityInRow),
        noShowCallBackMinutes: Number(form.noShowCallBackMinutes),
        waitSampleSize: Number(form.waitSampleSize),
        announceMaxLagSeconds: Number(form.announceMaxLagSeconds),
      });
    },
    send: (body) => call(ROUTES.updateSettings, { body }),
  });
  const { form, field: set } = f;
  if (f.loadError || !form) return <FormLoading error={f.loadError} />;

  return (
    <form className="panel-card form" onSubmit={f.submit} data-testid="center-form" noValidate>
      <h2>
        <Bi vi="Thông tin trung tâm" en="Center settings" />
      </h2>
      <div className="form-grid">
        <Field vi="Tên trung tâm" en="Center name">
          <input name="centerName" value={form.centerName} onChange={set('centerName')} maxLength={120} required />
        </Field>
        <Field vi="Múi giờ" en="Time zone" hint="Asia/Ho_Chi_Minh">
          <input name="timeZone" value={form.timeZone} onChange={set('timeZone')} maxLength={64} required />
        </Field>
        <Field vi="Dòng chữ chạy trên màn hình" en="TV news line">
          <textarea name="tickerText" value={form.tickerText} onChange={set('tickerText')} maxLength={500} rows={2} />
        </Field>
        <Field vi="Dòng cuối trên phiếu" en="Ticket footer">
          <input name="ticketFooter" value={form.ticketFooter} onChange={set('ticketFooter')} maxLength={200} />
        </Field>
        <Field vi="Số lượt ưu tiên liên tiếp tối đa" en="Priority tickets in a row (max)" hint="0–10">
          <input name="maxPriorityInRow" type="number" min={0} max={10} value={form.maxPriorityInRow} onChange={set('maxPriorityInRow')} />
        </Field>
        <Field vi="Gọi vào số vắng mặt trong vòng (phút)" en="No-show call-back window (minutes)" hint="0–480">
          <input name="noShowCallBackMinutes" type="number" min={0} max={480} value={form.noShowCallBackMinutes} onChange={set('noShowCallBackMinutes')} />
        </Field>
        <Field vi="Khi máy in lỗi" en="When printing fails">
          <select name="printFailure" value={form.printFailure} onChange={set('printFailure')}>
            <option value="cancel">Hủy số (cancel the ticket)</option>
            <option value="show">Hiện số trên màn hình (show the number on screen)</option>
          </select>
        </Field>
        <Field vi="Số lượt dùng để ước tính thời gian chờ" en="Tickets used for wait estimates" hint="1–200">
          <input name="waitSampleSize" type="number" min={1} max={200} value={form.waitSampleSize} onChange={set('waitSampleSize')} />
        </Field>
        <Field
          vi="Bỏ lời gọi trễ quá (giây)"
          en="Drop a call announcement later than (seconds)"
          hint={`${LAG_MIN}–${LAG_MAX}. Khi nhiều số được gọi dồn, màn hình chỉ đọc số mới nhất của mỗi quầy và bỏ lời gọi đã quá trễ. / When calls pile up the TV reads each counter's newest number and drops announcements this late.`}
        >
          <input name="announceMaxLagSeconds" type="number" min={LAG_MIN} max={LAG_MAX} step={1} value={form.announceMaxLagSeconds} onChange={set('announceMaxLagSeconds')} />
        </Field>
        <label className="check">
          <input
            type="checkbox"
            name="announceRepeat"
            checked={form.announceRepeat}
            onChange={(e) => f.edit({ announceRepeat: e.target.checked })}
          />
          <Bi vi="Đọc mỗi lời gọi hai lần" en="Read each call twice" />
        </label>
      </div>
      <FormFooter state={f} />
    </form>
  );
}
