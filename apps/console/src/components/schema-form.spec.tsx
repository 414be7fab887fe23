/// <reference types="node" />
// (node's fs reads the fixture: jest runs in node, whatever the browser build lacks)
import { fireEvent, render } from '@testing-library/preact';
import * as fs from 'fs';
import * as path from 'path';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { JsonSchema } from '../types';
import type { ZooKind } from '../pages/models-types';
import { SchemaForm } from './schema-form';
import {
  apiFieldErrors,
  FieldErrors,
  fieldKind,
  initialState,
  Submission,
  toConfig,
  validateConfig,
} from './schema-form-values';

// Every kind the API has (apps/console/test/fixtures/kinds.json, dumped from a running api by
// dump-kinds.js beside it): its form renders a labelled control per option, submitting the
// untouched form sends nothing and means exactly the API's defaults, a value below its minimum
// is named next to its field, and so is an API 400 naming config.<option>.

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/kinds.json'), 'utf8'),
) as Record<string, ZooKind[]>;
const KINDS: [string, ZooKind][] = Object.entries(fixture).flatMap(([route, kinds]) =>
  kinds.map((k) => [`${route} ${k.kind}`, k] as [string, ZooKind]),
);

/** A page's use of the form: state, a submit that checks it, errors shown. */
function Harness({
  schema,
  onSubmit,
  apiErrors,
}: {
  schema: JsonSchema;
  onSubmit: (s: Submission) => void;
  apiErrors?: FieldErrors;
}) {
  const [state, setState] = useState(() => initialState(schema));
  const [errors, setErrors] = useState<FieldErrors>(apiErrors ?? {});
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const out = toConfig(schema, state);
        setErrors(out.errors);
        onSubmit(out);
      }}
    >
      <SchemaForm schema={schema} state={state} onChange={setState} errors={errors} />
      <button type="submit">submit</button>
    </form>
  );
}

/** The control of option `key` and the error shown in its own field. */
function field(container: Element, key: string) {
  const input = container.querySelector<HTMLInputElement>(`[id="cfg-${key}"]`)!;
  const wrapper = input.closest('.form-field')!;
  return { input, wrapper, error: wrapper.querySelector('.field-error')?.textContent ?? null };
}

it('the fixture holds every family the API has', () => {
  expect(fixture.models.length).toBeGreaterThan(10);
  expect(fixture.eventModels.length).toBeGreaterThan(5);
  expect(fixture.seq2seqModels.length).toBeGreaterThan(0);
  expect(new Set(fixture.models.map((k) => k.family))).toEqual(new Set(['series', 'seq2seq']));
});

describe.each(KINDS)('%s', (_name, kind) => {
  const schema = kind.configSchema;
  const keys = Object.keys(schema.properties ?? {});

  it('renders a labelled control per option, of the kind its schema asks for, at its default', () => {
    const { container } = render(<Harness schema={schema} onSubmit={() => undefined} />);
    for (const key of keys) {
      const prop = schema.properties![key];
      const { input } = field(container, key);
      expect(input).not.toBeNull();
      expect(input.getAttribute('name')).toBe(key);
      expect(container.querySelector(`label[for="cfg-${key}"]`)).not.toBeNull();
      const want = fieldKind(prop);
      if (want === 'enum') {
        expect(input.tagName).toBe('SELECT');
        expect(input.value).toBe(String(prop.default));
      } else if (want === 'boolean') {
        expect(input.type).toBe('checkbox');
        expect(input.checked).toBe(prop.default === true);
      } else if (want === 'integer' || want === 'number') {
        expect(input.type).toBe('number');
        expect(Number(input.value)).toBe(prop.default);
      } else if (want === 'numbers') {
        expect(
          input.value
            .split(',')
            .filter((s) => s.trim())
            .map(Number),
        ).toEqual(prop.default);
      }
      if (prop.description)
        expect(container.querySelector(`[id="cfg-${key}-hint"]`)?.textContent).toContain(prop.description);
    }
    if (!keys.length) expect(container.textContent).toContain('no options');
  });

  it("submits its defaults as nothing: the schema accepts them and they are the API's defaults", () => {
    const submitted: Submission[] = [];
    const { getByText } = render(<Harness schema={schema} onSubmit={(s) => submitted.push(s)} />);
    fireEvent.click(getByText('submit'));
    expect(submitted).toHaveLength(1);
    const [out] = submitted;
    expect(out.errors).toEqual({});
    expect(out.config).toEqual({});
    expect(validateConfig(schema, out.full)).toEqual({});
    expect(out.full).toEqual(kind.defaults);
  });

  const bounded = keys.find((k) => {
    const p = schema.properties![k];
    return (
      (fieldKind(p) === 'integer' || fieldKind(p) === 'number') &&
      (p.minimum ?? p.exclusiveMinimum) !== undefined
    );
  });
  (bounded ? it : it.skip)(`names a value below the minimum next to its field (${bounded})`, () => {
    const prop = schema.properties![bounded!];
    const low = prop.minimum !== undefined ? prop.minimum - 1 : prop.exclusiveMinimum!;
    const submitted: Submission[] = [];
    const { container, getByText } = render(<Harness schema={schema} onSubmit={(s) => submitted.push(s)} />);
    fireEvent.input(field(container, bounded!).input, { target: { value: String(low) } });
    fireEvent.click(getByText('submit'));
    const shown = field(container, bounded!);
    expect(shown.error).toMatch(
      prop.minimum !== undefined ? `must be ≥ ${prop.minimum}` : `must be > ${low}`,
    );
    expect(shown.input.getAttribute('aria-invalid')).toBe('true');
    expect(shown.input.getAttribute('aria-describedby')).toContain(`cfg-${bounded}-error`);
    expect(Object.keys(submitted[0].errors)).toEqual([bounded]);
    // only that field is marked
    expect(container.querySelectorAll('.field-error')).toHaveLength(1);
  });

  (keys.length ? it : it.skip)("shows an API 400 naming config.<option> next to that option's field", () => {
    const key = keys[keys.length - 1];
    const err = new ApiError(400, 'validation_failed', `Invalid config of '${kind.kind}'`, [
      { field: `config.${key}`, reason: 'refused by the server' },
      { field: 'datasetId', reason: 'not this form' },
    ]);
    const { container } = render(
      <Harness schema={schema} onSubmit={() => undefined} apiErrors={apiFieldErrors(err)} />,
    );
    expect(field(container, key).error).toBe('refused by the server');
    expect(container.querySelectorAll('.field-error')).toHaveLength(1);
  });
});
