import type { ServiceConfig } from '@luot/protocol';
import { ROUTES, ServiceCreateBody } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field, numOrNull, useLoad } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';
import { FormFooter, useSettingsForm } from '../settings-form.js';

/** 0 = Sunday, as in the domain's opening hours; shown Monday first, as Vietnamese calendars do. */
export const WEEKDAYS = [
  { d: 1, vi: 'T2', en: 'Mon' },
  { d: 2, vi: 'T3', en: 'Tue' },
  { d: 3, vi: 'T4', en: 'Wed' },
  { d: 4, vi: 'T5', en: 'Thu' },
  { d: 5, vi: 'T6', en: 'Fri' },
  { d: 6, vi: 'T7', en: 'Sat' },
  { d: 0, vi: 'CN', en: 'Sun' },
];

interface Form {
  code: string;
  nameVi: string;
  nameEn: string;
  prefix: string;
  numberWidth: string;
  hoursOn: boolean;
  opensAt: string;
  closesAt: string;
  days: number[];
  dailyLimit: string;
  defaultServiceMinutes: string;
  targetWaitMinutes: string;
  sortOrder: string;
  active: boolean;
}

const EMPTY: Form = {
  code: '',
  nameVi: '',
  nameEn: '',
  prefix: '',
  numberWidth: '3',
  hoursOn: false,
  opensAt: '07:30',
  closesAt: '17:00',
  days: [1, 2, 3, 4, 5],
  dailyLimit: '',
  defaultServiceMinutes: '10',
  targetWaitMinutes: '30',
  sortOrder: '0',
  active: true,
};

const toForm = (s: ServiceConfig): Form => ({
  code: s.code,
  nameVi: s.name.vi,
  nameEn: s.name.en,
  prefix: s.prefix,
  numberWidth: String(s.numberWidth),
  hoursOn: s.hours !== null,
  opensAt: s.hours?.opensAt ?? EMPTY.opensAt,
  closesAt: s.hours?.closesAt ?? EMPTY.closesAt,
  days: s.hours?.days ?? EMPTY.days,
  dailyLimit: s.dailyLimit === null ? '' : String(s.dailyLimit),
  defaultServiceMinutes: String(s.defaultServiceMinutes),
  targetWaitMinutes: s.targetWaitMinutes === null ? '' : String(s.targetWaitMinutes),
  sortOrder: String(s.sortOrder),
  active: s.active,
});

const fromForm = (f: Form) => ({
  code: f.code.trim(),
  name: { vi: f.nameVi.trim(), en: f.nameEn.trim() },
  prefix: f.prefix.trim().toUpperCase(),
  numberWidth: Number(f.numberWidth),
  hours: f.hoursOn ? { opensAt: f.opensAt, closesAt: f.closesAt, days: [...f.days].sort() } : null,
  dailyLimit: numOrNull(f.dailyLimit),
  defaultServiceMinutes: Number(f.defaultServiceMinutes),
  targetWaitMinutes: numOrNull(f.targetWaitMinutes),
  sortOrder: Number(f.sortOrder),
  active: f.active,
});

function hoursText(s: ServiceConfig): string {
  if (!s.hours) return 'Cả ngày / All day';
  const days = WEEKDAYS.filter((w) => s.hours?.days.includes(w.d))
    .map((w) => w.vi)
    .join(' ');
  return `${s.hours.opensAt}–${s.hours.closesAt} · ${days}`;
}

/** Services: the kiosk's buttons. A change shows on kiosks, counters and TVs at once. */
export function ServicesConfig() {
  const { call } = useAdmin();
  const { data, error, reload } = useLoad(() => call(ROUTES.adminServices));
  const [editing, setEditing] = useState<ServiceConfig | 'new' | null>(null);

  return (
    <section className="config" data-testid="services-config">
      <div className="panel-card">
        <div className="bar">
          <h2>
            <Bi vi="Lĩnh vực (dịch vụ)" en="Services" />
          </h2>
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="service-new">
            <Bi vi="Thêm lĩnh vực" en="Add a service" />
          </button>
        </div>
        <ErrorMessage error={error} />
        <table className="grid">
          <thead>
            <tr>
              <th>
                <Bi vi="Tên" en="Name" />
              </th>
              <th>
                <Bi vi="Ký hiệu" en="Prefix" />
              </th>
              <th>
                <Bi vi="Giờ nhận hồ sơ" en="Hours" />
              </th>
              <th className="num">
                <Bi vi="Giới hạn/ngày" en="Daily limit" />
              </th>
              <th className="num">
                <Bi vi="Chờ mục tiêu" en="Target wait" />
              </th>
              <th>
                <Bi vi="Hoạt động" en="Active" />
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data ?? []).map((s) => (
              <tr key={s.id} data-testid={`service-row-${s.code}`} className={s.active ? '' : 'inactive'}>
                <td>
                  <Bi vi={s.name.vi} en={s.name.en} /> <code className="muted">{s.code}</code>
                </td>
                <td>
                  <code>{s.prefix}</code> · {s.numberWidth}
                </td>
                <td>{hoursText(s)}</td>
                <td className="num">{s.dailyLimit ?? '—'}</td>
                <td className="num">{s.targetWaitMinutes === null ? '—' : `${s.targetWaitMinutes} ph / min`}</td>
                <td>{s.active ? 'Có / Yes' : 'Không / No'}</td>
                <td>
                  <button type="button" className="small" onClick={() => setEditing(s)} data-testid={`service-edit-${s.code}`}>
                    <Bi vi="Sửa" en="Edit" />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <ServiceForm
          key={editing === 'new' ? 'new' : editing.id}
          service={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function ServiceForm({ service, onDone, onCancel }: { service: ServiceConfig | null; onDone: () => void; onCancel: () => void }) {
  const { call } = useAdmin();
  const formRef = useRef<HTMLFormElement>(null);
  // The form opens below a long list: bring it into view.
  useEffect(() => {
    formRef.current?.scrollIntoView({ block: 'start' });
  }, []);
  const f = useSettingsForm({
    initial: service ? toForm(service) : EMPTY,
    check: (form: Form) => validate(ServiceCreateBody, fromForm(form)),
    send: (body) => (service ? call(ROUTES.updateService, { params: { id: service.id }, body }) : call(ROUTES.createService, { body })),
    onSaved: onDone,
  });
  const form = f.form;
  const set = f.field;
  const toggleDay = (d: number) => f.edit({ days: form.days.includes(d) ? form.days.filter((x) => x !== d) : [...form.days, d] });

  return (
    <form ref={formRef} className="panel-card form" onSubmit={f.submit} data-testid="service-form" noValidate>
      <h2>{service ? <Bi vi={`Sửa lĩnh vực: ${service.name.vi}`} en={`Edit service: ${service.name.en}`} /> : <Bi vi="Thêm lĩnh vực" en="New service" />}</h2>
      <div className="form-grid">
        <Field vi="Tên tiếng Việt" en="Name in Vietnamese">
          <input name="nameVi" value={form.nameVi} onChange={set('nameVi')} maxLength={120} required />
        </Field>
        <Field vi="Tên tiếng Anh" en="Name in English">
          <input name="nameEn" value={form.nameEn} onChange={set('nameEn')} maxLength={120} required />
        </Field>
        <Field vi="Mã (chữ thường, số, -)" en="Code (lowercase, digits, -)">
          <input name="code" value={form.code} onChange={set('code')} maxLength={32} required />
        </Field>
        <Field vi="Ký hiệu số phiếu" en="Ticket prefix" hint="A, B, 1… (≤ 3)">
          <input name="prefix" value={form.prefix} onChange={set('prefix')} maxLength={3} />
        </Field>
        <Field vi="Số chữ số" en="Digits in the number" hint="2–5">
          <input name="numberWidth" type="number" min={2} max={5} value={form.numberWidth} onChange={set('numberWidth')} />
        </Field>
        <Field vi="Giới hạn số phiếu/ngày" en="Daily limit" hint="Để trống = không giới hạn / empty = none">
          <input name="dailyLimit" type="number" min={1} value={form.dailyLimit} onChange={set('dailyLimit')} />
        </Field>
        <Field vi="Thời gian chờ mục tiêu (phút)" en="Target wait (minutes)" hint="Để trống = không đặt / empty = none">
          <input name="targetWaitMinutes" type="number" min={1} max={600} value={form.targetWaitMinutes} onChange={set('targetWaitMinutes')} />
        </Field>
        <Field vi="Thời gian phục vụ dự kiến (phút)" en="Expected service time (minutes)">
          <input name="defaultServiceMinutes" type="number" min={1} max={240} value={form.defaultServiceMinutes} onChange={set('defaultServiceMinutes')} />
        </Field>
        <Field vi="Thứ tự trên kiosk" en="Order on the kiosk">
          <input name="sortOrder" type="number" min={0} max={1000} value={form.sortOrder} onChange={set('sortOrder')} />
        </Field>
        <label className="check">
          <input type="checkbox" name="active" checked={form.active} onChange={(e) => f.edit({ active: e.target.checked })} />
          <Bi vi="Đang hoạt động" en="Active" />
        </label>
      </div>
      <fieldset className="hours">
        <legend>
          <label className="check">
            <input type="checkbox" name="hoursOn" checked={form.hoursOn} onChange={(e) => f.edit({ hoursOn: e.target.checked })} />
            <Bi vi="Giới hạn giờ nhận hồ sơ" en="Limit the hours" />
          </label>
        </legend>
        {form.hoursOn && (
          <div className="hours-row">
            <Field vi="Mở lúc" en="Opens">
              <input name="opensAt" type="time" value={form.opensAt} onChange={set('opensAt')} />
            </Field>
            <Field vi="Đóng lúc" en="Closes">
              <input name="closesAt" type="time" value={form.closesAt} onChange={set('closesAt')} />
            </Field>
            <div className="days" role="group" aria-label="Ngày / Days">
              {WEEKDAYS.map((w) => (
                <label key={w.d} className="day">
                  <input type="checkbox" checked={form.days.includes(w.d)} onChange={() => toggleDay(w.d)} data-day={w.d} />
                  <Bi vi={w.vi} en={w.en} />
                </label>
              ))}
            </div>
          </div>
        )}
      </fieldset>
      <FormFooter state={f} onCancel={onCancel} testId="service-save" />
    </form>
  );
}
