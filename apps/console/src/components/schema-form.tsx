import type { JsonSchema } from '../types';
import { FieldErrors, fieldKind, FormState } from './schema-form-values';
import './schema-form.css';

// A form generated from a model kind's config schema (GET /models/kinds, /event-models/kinds,
// /seq2seq-models/kinds): one labelled control per option, its description as the hint, its
// error (the client's check or the API's) right under it. It only renders and reports edits;
// schema-form-values.ts turns the state into a config. Place it inside the page's <form>.

export interface SchemaFormProps {
  schema: JsonSchema;
  state: FormState;
  onChange: (state: FormState) => void;
  /** Messages by field path (`lags`, `encoder.layers`). */
  errors?: FieldErrors;
  /** A note added to a field's hint, by path (e.g. which create input fills it when left as is). */
  notes?: Record<string, string>;
  /** A placeholder by path, for a field left blank on purpose (another input fills it). */
  placeholders?: Record<string, string>;
  /** Prefix of the inputs' ids: `cfg-` gives `cfg-lags`. */
  idPrefix?: string;
  disabled?: boolean;
}

export function SchemaForm(props: SchemaFormProps) {
  if (!Object.keys(props.schema.properties ?? {}).length)
    return <p class="muted">This kind has no options.</p>;
  return (
    <div class="form-grid schema-form">
      <Fields {...props} path="" />
    </div>
  );
}

function Fields(props: SchemaFormProps & { path: string }) {
  const { schema, state, onChange, path } = props;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => {
        const fieldPath = path + key;
        const set = (value: string | boolean | FormState) => onChange({ ...state, [key]: value });
        if (fieldKind(prop) === 'object')
          return (
            <fieldset key={key} class="schema-fieldset">
              <legend>{key}</legend>
              {prop.description && <p class="hint">{prop.description}</p>}
              <div class="form-grid">
                <Fields
                  {...props}
                  schema={prop}
                  state={(state[key] as FormState | undefined) ?? {}}
                  onChange={set}
                  path={`${fieldPath}.`}
                />
              </div>
            </fieldset>
          );
        return (
          <Field
            key={key}
            name={fieldPath}
            schema={prop}
            value={state[key] as string | boolean | undefined}
            onChange={set}
            error={props.errors?.[fieldPath]}
            note={props.notes?.[fieldPath]}
            placeholder={props.placeholders?.[fieldPath]}
            id={`${props.idPrefix ?? 'cfg-'}${fieldPath}`}
            disabled={props.disabled}
          />
        );
      })}
    </>
  );
}

function Field(p: {
  name: string;
  schema: JsonSchema;
  value: string | boolean | undefined;
  onChange: (v: string | boolean) => void;
  error?: string;
  note?: string;
  placeholder?: string;
  id: string;
  disabled?: boolean;
}) {
  const { schema, id } = p;
  const kind = fieldKind(schema);
  const hint = [schema.description, rangeText(schema), p.note].filter(Boolean).join(' · ');
  const describedBy = [hint && `${id}-hint`, p.error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: p.name,
    disabled: p.disabled,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': describedBy,
  };
  const text = typeof p.value === 'string' ? p.value : '';
  const onText = (e: Event) => p.onChange((e.currentTarget as HTMLInputElement).value);

  let control;
  if (kind === 'boolean')
    control = (
      <input
        {...common}
        type="checkbox"
        checked={p.value === true}
        onChange={(e) => p.onChange(e.currentTarget.checked)}
      />
    );
  else if (kind === 'enum')
    control = (
      <select {...common} value={text} onChange={onText}>
        {(schema.enum ?? []).map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  else if (kind === 'integer' || kind === 'number')
    control = (
      <input
        {...common}
        type="number"
        step={kind === 'integer' ? 1 : 'any'}
        min={schema.minimum}
        max={schema.maximum}
        placeholder={p.placeholder ?? (schema.default === undefined ? '' : String(schema.default))}
        value={text}
        onInput={onText}
      />
    );
  else
    control = (
      <input
        {...common}
        type="text"
        placeholder={kind === 'numbers' ? 'numbers, comma-separated' : ''}
        value={text}
        onInput={onText}
      />
    );

  return (
    <div class={`form-field${kind === 'boolean' ? ' form-check' : ''}`} data-field={p.name}>
      {kind === 'boolean' ? (
        <label for={id} class="check-label">
          {control} {p.name}
        </label>
      ) : (
        <>
          <label for={id}>{p.name}</label>
          {control}
        </>
      )}
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {p.error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {p.error}
        </p>
      )}
    </div>
  );
}

/** The bounds of a number field in words, e.g. "1 to 5000", "> 0". */
function rangeText(s: JsonSchema): string {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : undefined);
  if (typeof lo === 'number' && typeof hi === 'number') return `${lo} to ${hi}`;
  if (typeof lo === 'number') return `≥ ${lo}`;
  if (typeof hi === 'number') return `≤ ${hi}`;
  return [lo, hi].filter(Boolean).join(', ');
}
