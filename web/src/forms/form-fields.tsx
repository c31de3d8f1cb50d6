import { useI18n } from '../i18n.ts';
import { UnitPicker } from '../pages/unit-picker.tsx';
import { UnitUsers } from './unit-users.tsx';
import { useMe } from '../pages/use-me.ts';
import {
  initialValues,
  isShown,
  type Bilingual,
  type FormField,
  type RecordPhoto,
  type Row,
  type Values,
} from './form-values.ts';

/** The words of a field in the UI language. */
export const useWords = () => {
  const { lang } = useI18n();
  return (b: Bilingual | undefined) => (b ? b[lang] : '');
};

/**
 * The fields of a form (or of a group or row inside it), each drawn by its widget kind, with
 * its label, help and the error beside it. Conditional fields appear only for their choice.
 */
export function Fields({
  fields,
  values,
  onChange,
  errors,
  photos,
  path,
}: {
  fields: readonly FormField[];
  values: Values;
  onChange: (v: Values) => void;
  errors: Record<string, Bilingual>;
  photos: readonly RecordPhoto[];
  /** Where these fields sit, for the inputs' names ("parties.0.name"). */
  path: string;
}) {
  const words = useWords();
  return (
    <>
      {fields
        .filter((f) => isShown(f, values))
        .map((f) => {
          const name = path ? `${path}.${f.name}` : f.name;
          // A new unit: the people chosen from the old one no longer apply.
          const set = (v: unknown) =>
            onChange({
              ...values,
              [f.name]: v,
              ...Object.fromEntries(
                fields
                  .filter((x) => x.widget === 'users' && x.of === f.name && values[f.name] !== v)
                  .map((x) => [x.name, []]),
              ),
            });
          const error = errors[f.name];
          const boxed =
            f.widget === 'group' ||
            f.widget === 'parties' ||
            f.widget === 'measures' ||
            f.widget === 'multiselect' ||
            f.widget === 'users' ||
            f.widget === 'evidence';
          const head = (
            <span className="field-label">
              {words(f.label)}
              {f.required && <em className="req"> *</em>}
            </span>
          );
          const body = (
            <>
              <Widget
                field={f}
                name={name}
                value={values[f.name]}
                set={set}
                photos={photos}
                siblings={values}
              />
              {f.help && <small className="field-help">{words(f.help)}</small>}
              {error && (
                <small className="field-error" role="alert" data-error-for={name}>
                  {words(error)}
                </small>
              )}
            </>
          );
          return boxed ? (
            <fieldset key={f.name} className={`field field-${f.widget}`} data-field={name}>
              <legend>{head}</legend>
              {body}
            </fieldset>
          ) : (
            <label key={f.name} className={`field field-${f.widget}`} data-field={name}>
              {head}
              {body}
            </label>
          );
        })}
    </>
  );
}

function Widget({
  field: f,
  name,
  value,
  set,
  photos,
  siblings,
}: {
  field: FormField;
  name: string;
  value: unknown;
  set: (v: unknown) => void;
  photos: readonly RecordPhoto[];
  /** The other entries of the same form (a `users` field reads its unit there). */
  siblings: Values;
}) {
  const { t, dateTime, num } = useI18n();
  const words = useWords();
  const text = typeof value === 'string' ? value : '';
  const list = Array.isArray(value) ? (value as string[]) : [];
  const toggle = (v: string, on: boolean) => set(on ? [...list, v] : list.filter((x) => x !== v));
  switch (f.widget) {
    case 'select':
      return (
        <select name={name} value={text} onChange={(e) => set(e.target.value)}>
          <option value="">{t('choose')}</option>
          {f.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {words(o.label)}
            </option>
          ))}
        </select>
      );
    case 'multiselect':
      return (
        <div className="choices">
          {f.options?.map((o) => (
            <label key={o.value} className="choice">
              <input
                type="checkbox"
                name={name}
                value={o.value}
                checked={list.includes(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              {words(o.label)}
            </label>
          ))}
        </div>
      );
    case 'unit':
      return <UnitField set={set} />;
    case 'users': {
      const unit = f.of ? siblings[f.of] : undefined;
      return (
        <UnitUsers
          name={name}
          unit={typeof unit === 'string' ? unit : ''}
          chosen={list}
          toggle={toggle}
        />
      );
    }
    case 'checkbox':
      return (
        <input
          type="checkbox"
          name={name}
          checked={value === true}
          onChange={(e) => set(e.target.checked)}
        />
      );
    case 'textarea':
    case 'lines':
      return (
        <textarea
          name={name}
          rows={f.widget === 'lines' ? 2 : 3}
          value={text}
          onChange={(e) => set(e.target.value)}
        />
      );
    case 'number':
      return (
        <input
          type="number"
          name={name}
          value={text}
          min={f.min}
          max={f.max}
          step="any"
          onChange={(e) => set(e.target.value)}
        />
      );
    case 'date':
      return <input type="date" name={name} value={text} onChange={(e) => set(e.target.value)} />;
    case 'datetime':
      return (
        <input
          type="datetime-local"
          name={name}
          value={text}
          onChange={(e) => set(e.target.value)}
        />
      );
    case 'docno':
      return (
        <input
          type="text"
          name={name}
          className="docno"
          value={text}
          placeholder={t('docNoHint')}
          onChange={(e) => set(e.target.value)}
        />
      );
    case 'evidence':
      if (!photos.length) return <p className="muted">{t('noRecordPhotos')}</p>;
      return (
        <div className="choices">
          {photos.map((p, i) => (
            <label key={p.sha256} className="choice">
              <input
                type="checkbox"
                name={name}
                value={p.sha256}
                checked={list.includes(p.sha256)}
                onChange={(e) => toggle(p.sha256, e.target.checked)}
              />
              {t('photo')} {i + 1} · {dateTime(p.takenAt)} · {num(p.lon, 5)}, {num(p.lat, 5)}
            </label>
          ))}
        </div>
      );
    case 'parties':
    case 'measures': {
      const rows = (Array.isArray(value) ? value : []) as Row[];
      const setRow = (i: number, r: Values) => set(rows.map((x, j) => (j === i ? r : x)));
      return (
        <div className="rows">
          {rows.map((r, i) => (
            <div key={i} className="row" data-row={i}>
              <Fields
                fields={f.fields ?? []}
                values={r}
                onChange={(v) => setRow(i, v)}
                errors={{}}
                photos={photos}
                path={`${name}.${i}`}
              />
              {rows.length > 1 && (
                <button
                  type="button"
                  className="link"
                  onClick={() => set(rows.filter((_, j) => j !== i))}
                >
                  {t('removeRow')}
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            className="link"
            data-add={name}
            onClick={() => set([...rows, initialValues(f.fields ?? [])])}
          >
            + {t(f.widget === 'parties' ? 'addParty' : 'addMeasure')}
          </button>
        </div>
      );
    }
    case 'group':
      return (
        <Fields
          fields={f.fields ?? []}
          values={(value ?? {}) as Values}
          onChange={set}
          errors={{}}
          photos={photos}
          path={name}
        />
      );
    default:
      return <input type="text" name={name} value={text} onChange={(e) => set(e.target.value)} />;
  }
}

/** The unit picker of a form, starting from the caller's own unit. */
function UnitField({ set }: { set: (v: unknown) => void }) {
  const me = useMe();
  if (!me) return null;
  return <UnitPicker own={me.jurisdictionCode} ownName={me.jurisdictionName} onChange={set} />;
}
