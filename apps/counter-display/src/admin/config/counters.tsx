import type { CounterConfig, ServiceConfig } from '@luot/protocol';
import { CounterCreateBody, ROUTES } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field, useLoad } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';
import { FormFooter, useSettingsForm } from '../settings-form.js';

type PriorityMode = NonNullable<CounterConfig['priorityMode']>;

/**
 * A priority counter (Decree 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP): a center may keep a
 * counter for the elderly, pregnant women and persons with disabilities. Vietnamese first.
 */
const PRIORITY_MODES: { value: PriorityMode; vi: string; en: string }[] = [
  { value: 'normal', vi: 'Không (quy định chung)', en: 'No (usual rule)' },
  { value: 'first', vi: 'Gọi ưu tiên trước', en: 'Priority first' },
  { value: 'only', vi: 'Chỉ gọi ưu tiên', en: 'Priority only' },
];
const modeLabel = (m: PriorityMode | undefined) => PRIORITY_MODES.find((x) => x.value === (m ?? 'normal'))!;

/** Counters and the services each serves, in the order it calls them. */
export function CountersConfig() {
  const { call } = useAdmin();
  const counters = useLoad(() => call(ROUTES.adminCounters));
  const services = useLoad(() => call(ROUTES.adminServices));
  const [editing, setEditing] = useState<CounterConfig | 'new' | null>(null);
  const name = (id: number) => services.data?.find((s) => s.id === id)?.name.vi ?? `#${id}`;

  return (
    <section className="config" data-testid="counters-config">
      <div className="panel-card">
        <div className="bar">
          <h2>
            <Bi vi="Quầy giao dịch" en="Counters" />
          </h2>
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="counter-new">
            <Bi vi="Thêm quầy" en="Add a counter" />
          </button>
        </div>
        <ErrorMessage error={counters.error ?? services.error} />
        <table className="grid">
          <thead>
            <tr>
              <th>
                <Bi vi="Số" en="No." />
              </th>
              <th>
                <Bi vi="Tên" en="Name" />
              </th>
              <th>
                <Bi vi="Lĩnh vực (theo thứ tự)" en="Services (in order)" />
              </th>
              <th>
                <Bi vi="Quầy ưu tiên" en="Priority counter" />
              </th>
              <th>
                <Bi vi="Hoạt động" en="Active" />
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...(counters.data ?? [])]
              .sort((a, b) => a.number - b.number)
              .map((c) => (
                <tr key={c.id} data-testid={`counter-row-${c.number}`} className={c.active ? '' : 'inactive'}>
                  <td>
                    <strong>{c.number}</strong>
                  </td>
                  <td>{c.name}</td>
                  <td>{c.serviceIds.map((id, i) => `${i + 1}. ${name(id)}`).join(' · ')}</td>
                  <td data-testid={`counter-priority-${c.number}`}>
                    {(c.priorityMode ?? 'normal') === 'normal' ? 'Không / No' : <Bi vi={modeLabel(c.priorityMode).vi} en={modeLabel(c.priorityMode).en} />}
                  </td>
                  <td>{c.active ? 'Có / Yes' : 'Không / No'}</td>
                  <td>
                    <button type="button" className="small" onClick={() => setEditing(c)} data-testid={`counter-edit-${c.number}`}>
                      <Bi vi="Sửa" en="Edit" />
                    </button>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      {editing && services.data && (
        <CounterForm
          key={editing === 'new' ? 'new' : editing.id}
          counter={editing === 'new' ? null : editing}
          services={services.data}
          onDone={() => {
            setEditing(null);
            counters.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function CounterForm({ counter, services, onDone, onCancel }: { counter: CounterConfig | null; services: ServiceConfig[]; onDone: () => void; onCancel: () => void }) {
  const { call } = useAdmin();
  const formRef = useRef<HTMLFormElement>(null);
  // The form opens below a long list: bring it into view.
  useEffect(() => {
    formRef.current?.scrollIntoView({ block: 'start' });
  }, []);
  const f = useSettingsForm({
    initial: {
      number: counter ? String(counter.number) : '',
      name: counter?.name ?? '',
      ids: counter?.serviceIds ?? [],
      active: counter?.active ?? true,
      priorityMode: counter?.priorityMode ?? ('normal' as PriorityMode),
    },
    check: ({ number, name, ids, active, priorityMode }) => validate(CounterCreateBody, { number: Number(number), name: name.trim(), serviceIds: ids, active, priorityMode }),
    send: (body) => (counter ? call(ROUTES.updateCounter, { params: { id: counter.id }, body }) : call(ROUTES.createCounter, { body })),
    onSaved: onDone,
  });
  const { number, name, ids, active, priorityMode } = f.form;
  const setIds = (next: number[]) => f.edit({ ids: next });
  const [adding, setAdding] = useState('');
  const svc = (id: number) => services.find((s) => s.id === id);
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= ids.length) return;
    const next = [...ids];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setIds(next);
  };

  const available = services.filter((s) => !ids.includes(s.id));
  return (
    <form ref={formRef} className="panel-card form" onSubmit={f.submit} data-testid="counter-form" noValidate>
      <h2>{counter ? <Bi vi={`Sửa quầy ${counter.number}`} en={`Edit counter ${counter.number}`} /> : <Bi vi="Thêm quầy" en="New counter" />}</h2>
      <div className="form-grid">
        <Field vi="Số quầy" en="Counter number">
          <input name="number" type="number" min={1} max={999} value={number} onChange={f.field('number')} required />
        </Field>
        <Field vi="Tên quầy" en="Counter name">
          <input name="name" value={name} onChange={f.field('name')} maxLength={60} required />
        </Field>
        <Field
          vi="Quầy ưu tiên: gọi ưu tiên trước / chỉ gọi ưu tiên"
          en="Priority counter: priority first / priority only"
          hint="Người cao tuổi, phụ nữ mang thai, người khuyết tật… (Nghị định 61/2018, sửa đổi bởi 107/2021) / The elderly, pregnant women, persons with disabilities…"
        >
          <select name="priorityMode" value={priorityMode} onChange={(e) => f.edit({ priorityMode: e.target.value as PriorityMode })}>
            {PRIORITY_MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.vi} / {m.en}
              </option>
            ))}
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" name="active" checked={active} onChange={(e) => f.edit({ active: e.target.checked })} />
          <Bi vi="Đang hoạt động" en="Active" />
        </label>
      </div>
      <h3>
        <Bi vi="Lĩnh vực phục vụ, theo thứ tự gọi" en="Services served, in calling order" />
      </h3>
      <ol className="order-list" data-testid="counter-services">
        {ids.map((id, i) => (
          <li key={id} data-service-id={id}>
            <span>{svc(id) ? <Bi vi={svc(id)!.name.vi} en={svc(id)!.name.en} /> : `#${id}`}</span>
            <span className="order-buttons">
              <button type="button" className="small" onClick={() => move(i, -1)} disabled={i === 0} aria-label="Lên / Up">
                ↑
              </button>
              <button type="button" className="small" onClick={() => move(i, 1)} disabled={i === ids.length - 1} aria-label="Xuống / Down">
                ↓
              </button>
              <button type="button" className="small" onClick={() => setIds(ids.filter((x) => x !== id))} aria-label="Bỏ / Remove">
                ×
              </button>
            </span>
          </li>
        ))}
        {ids.length === 0 && <li className="muted">Chưa có lĩnh vực / No services yet</li>}
      </ol>
      {available.length > 0 && (
        <div className="row">
          <select value={adding} onChange={(e) => setAdding(e.target.value)} name="addService" aria-label="Thêm lĩnh vực / Add a service">
            <option value="">— Chọn lĩnh vực / Choose a service —</option>
            {available.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name.vi} / {s.name.en}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={!adding}
            onClick={() => {
              setIds([...ids, Number(adding)]);
              setAdding('');
            }}
          >
            <Bi vi="Thêm" en="Add" />
          </button>
        </div>
      )}
      <FormFooter state={f} onCancel={onCancel} testId="counter-save" />
    </form>
  );
}
