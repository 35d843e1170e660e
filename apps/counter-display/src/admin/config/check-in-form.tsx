import type { CenterSettings } from '@luot/protocol';
import { CenterSettingsPatch, ROUTES } from '@luot/protocol';
import { Bi } from '../../ui/bi.js';
import { Field } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';
import { FormFooter, FormLoading, useSettingsForm } from '../settings-form.js';

type CheckInSettings = Pick<CenterSettings, 'checkInEnabled' | 'priorityAge' | 'checkInNameDays' | 'returningVisitorDays'>;
type Form = { checkInEnabled: boolean; priorityAge: string; checkInNameDays: string; returningVisitorDays: string };

const toForm = (s: CheckInSettings): Form => ({
  checkInEnabled: s.checkInEnabled ?? false,
  priorityAge: String(s.priorityAge ?? 60),
  checkInNameDays: String(s.checkInNameDays ?? 0),
  returningVisitorDays: String(s.returningVisitorDays ?? 30),
});

/**
 * The ID-card check-in (issue 16, docs/privacy.md): the switch, the age from which a checked-in
 * citizen gets a priority number, and how long the server keeps names and the keyed hashes.
 * Saved through the same PATCH /admin/settings as the center form (which leaves these alone).
 * The switch is off on a new installation: the center turns it on once it has decided its legal
 * basis and put up the notice.
 */
export function CheckInSettingsForm() {
  const { call } = useAdmin();
  const f = useSettingsForm({
    load: () => call(ROUTES.settings),
    toForm,
    check: (form: Form) =>
      validate(CenterSettingsPatch, {
        checkInEnabled: form.checkInEnabled,
        priorityAge: Number(form.priorityAge),
        checkInNameDays: Number(form.checkInNameDays),
        returningVisitorDays: Number(form.returningVisitorDays),
      }),
    send: (body) => call(ROUTES.updateSettings, { body }),
  });
  const { form, field: set } = f;
  if (f.loadError || !form) return <FormLoading error={f.loadError} />;

  const nameDays = Number(form.checkInNameDays);
  return (
    <form className="panel-card form" onSubmit={f.submit} data-testid="check-in-form" noValidate>
      <h2>
        <Bi vi="Quét thẻ căn cước khi lấy số" en="ID-card check-in at the kiosk" />
      </h2>
      <p className="muted">
        <Bi
          vi="Công dân có thể quét mã QR trên thẻ căn cước ở máy lấy số: người từ tuổi ưu tiên trở lên được số ưu tiên, cán bộ quầy thấy họ tên, năm sinh và số lần đến cho cùng lĩnh vực. Không quét thẻ vẫn lấy số như thường. Trung tâm là bên kiểm soát dữ liệu: chỉ bật khi đã xác định căn cứ pháp lý và niêm yết thông báo (xem docs/privacy.md)."
          en="Citizens may scan the QR of their ID card at the kiosk: those at or above the priority age get a priority number, and the counter officer sees their name, year of birth and how often they came for the same service. Without a scan, numbers are taken as usual. The center is the data controller: switch it on once its legal basis is decided and the notice is posted (see docs/privacy.md)."
        />
      </p>
      <div className="form-grid">
        <label className="check">
          <input
            type="checkbox"
            name="checkInEnabled"
            checked={form.checkInEnabled}
            onChange={(e) => f.edit({ checkInEnabled: e.target.checked })}
          />
          <Bi vi="Cho phép quét thẻ căn cước ở máy lấy số" en="Take ID-card check-ins at the kiosk" />
        </label>
        <Field vi="Tuổi được số ưu tiên" en="Priority from age" hint="50–100 (Luật Người cao tuổi: từ 60 / Law on the Elderly: 60)">
          <input name="priorityAge" type="number" min={50} max={100} value={form.priorityAge} onChange={set('priorityAge')} />
        </Field>
        <Field
          vi="Giữ họ tên, năm sinh thêm (ngày)"
          en="Keep names and years of birth for (days after the day)"
          hint={nameDays === 0 ? '0: xoá khi hết ngày làm việc / deleted at the end of the business day' : '0–30'}
        >
          <input name="checkInNameDays" type="number" min={0} max={30} value={form.checkInNameDays} onChange={set('checkInNameDays')} />
        </Field>
        <Field vi="Giữ mã băm của số thẻ (ngày)" en="Keep the keyed hash of the card number (days)" hint="1–365: số lần đến được đếm trong khoảng này / visits are counted over this period">
          <input name="returningVisitorDays" type="number" min={1} max={365} value={form.returningVisitorDays} onChange={set('returningVisitorDays')} />
        </Field>
      </div>
      <p className="muted">
        <Bi
          vi="Tắt tính năng: máy lấy số không dùng thẻ nữa, máy chủ từ chối dữ liệu thẻ, quầy không hiện tên. Dữ liệu đã lưu vẫn bị xoá đúng hạn."
          en="Switched off: the kiosk uses no scan, the server refuses card data, counters show no names. What was kept is still deleted on time."
        />
      </p>
      <FormFooter state={f} testId="check-in-save" />
    </form>
  );
}
