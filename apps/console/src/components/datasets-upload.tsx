import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, uploadWithProgress } from '../api';
import { ErrorBox, ProgressBar } from './feedback';
import { UploadIssuesTable } from './datasets-upload-issues';
import {
  CsvRecordPicker,
  csvCells,
  issueRows,
  issueRowNumbers,
  readCsvRecords,
} from '../pages/datasets-upload-issues';
import type { IssueRow } from '../pages/datasets-upload-issues';
import {
  EMPTY_UPLOAD,
  INPUT_FORMATS,
  UploadForm,
  formatFromFileName,
  uploadRequest,
} from '../pages/datasets-upload-request';
import type { Dataset, DatasetKind, UploadIssue } from '../pages/datasets-types';

/** What a refused upload left to show: the API's error, its problems, the lines they name. */
interface Refusal {
  error: ApiError | Error;
  issues: IssueRow[];
  records: Map<number, string>;
}

/** The request fields the form shows an error beside (the API names them as query parameters). */
const FORM_FIELDS: Record<string, keyof UploadForm> = {
  name: 'name',
  description: 'description',
  kind: 'kind',
  format: 'format',
  'content-type': 'format',
  timeColumn: 'timeColumn',
  keyColumns: 'keyColumns',
  valueColumns: 'valueColumns',
  knownCovariates: 'knownCovariates',
  pastCovariates: 'pastCovariates',
  sequenceColumn: 'sequenceColumn',
  typeColumn: 'typeColumn',
  inputColumns: 'inputColumns',
  targetColumns: 'targetColumns',
  ratio: 'ratio',
  delimiter: 'delimiter',
};

/** The first 64 KiB are plenty for a CSV header; it lists the column names the roles can take. */
async function csvHeader(file: File, delimiter: string): Promise<string[]> {
  const picker = new CsvRecordPicker([]);
  picker.push(await file.slice(0, 64 * 1024).text());
  const header = picker.records.get(0);
  return header ? csvCells(header, delimiter).map((c) => c.trim()) : [];
}

export function DatasetUpload({ onUploaded }: { onUploaded: (d: Dataset, fileName: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [form, setForm] = useState<UploadForm>(EMPTY_UPLOAD);
  const [columns, setColumns] = useState<string[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const guessed = file ? formatFromFileName(file.name, form.kind) : null;
  const format = form.format || guessed;

  useEffect(() => {
    setColumns([]);
    if (!file || format !== 'csv') return;
    let live = true;
    csvHeader(file, form.delimiter || ',').then(
      (c) => live && setColumns(c),
      () => undefined, // the names are a convenience: without them the fields stay free text
    );
    return () => {
      live = false;
    };
  }, [file, format, form.delimiter]);

  const set = <K extends keyof UploadForm>(key: K, value: UploadForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const chooseFile = (f: File | null) => {
    setFile(f);
    setRefusal(null);
    setProgress(null);
    // a name from the file, until the user types one
    if (f && !form.name.trim()) set('name', f.name.replace(/\.[^.]+$/, ''));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setRefusal(null);
    if (!file) {
      setProblems({ file: ['choose a file to upload'] });
      return;
    }
    const built = uploadRequest(file.name, form);
    if ('problems' in built) {
      setProblems(Object.fromEntries(Object.entries(built.problems).map(([k, v]) => [k, [v]])));
      return;
    }
    setProblems({});
    setBusy(true);
    setProgress(0);
    try {
      const dataset = await uploadWithProgress<Dataset>(
        built.request.path,
        file,
        { 'content-type': built.request.contentType },
        setProgress,
      );
      onUploaded(dataset, file.name);
    } catch (err) {
      setProgress(null);
      await showRefusal(err as Error, built.request.format === 'csv');
    } finally {
      setBusy(false);
    }
  };

  const showRefusal = async (error: Error, csv: boolean) => {
    const details = error instanceof ApiError ? (error.details as UploadIssue[]) : [];
    const byField: Record<string, string[]> = {};
    const rest: UploadIssue[] = [];
    for (const d of details) {
      const field = d.field && d.row === undefined ? FORM_FIELDS[d.field] : undefined;
      if (field) (byField[field] ??= []).push(d.reason);
      else rest.push(d);
    }
    setProblems(byField);
    const issues = issueRows(rest);
    const rows = issueRowNumbers(issues);
    let records = new Map<number, string>();
    if (csv && rows.length && file) records = await readCsvRecords(file, rows).catch(() => records);
    setRefusal({ error, issues, records });
  };

  const roleFields = ROLE_INPUTS[form.kind];
  return (
    <form class="ds-upload" onSubmit={submit} noValidate>
      <div class="form-grid">
        <Field id="upload-file" label="File" problems={problems.file}>
          <input
            id="upload-file"
            type="file"
            data-testid="upload-file"
            accept=".csv,.json,.ndjson,.jsonl,.arrow,.arrows,.feather,.ipc,.parquet,.tsf,.ts"
            onChange={(e) => chooseFile(e.currentTarget.files?.[0] ?? null)}
          />
        </Field>
        <Field id="upload-name" label="Name" problems={problems.name}>
          <input
            id="upload-name"
            data-testid="upload-name"
            value={form.name}
            maxLength={200}
            onInput={(e) => set('name', e.currentTarget.value)}
          />
        </Field>
        <Field id="upload-kind" label="Kind" problems={problems.kind}>
          <select
            id="upload-kind"
            value={form.kind}
            onChange={(e) => set('kind', e.currentTarget.value as DatasetKind)}
          >
            <option value="series">time series</option>
            <option value="events">event sequences</option>
            <option value="seq2seq">sequence to sequence</option>
          </select>
        </Field>
        <Field
          id="upload-format"
          label="Format"
          problems={problems.format}
          hint={guessed && !form.format ? `read as ${guessed}, from the file name` : undefined}
        >
          <select
            id="upload-format"
            value={form.format}
            onChange={(e) => set('format', e.currentTarget.value as UploadForm['format'])}
          >
            <option value="">from the file name</option>
            {INPUT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </Field>
      </div>

      <details class="ds-options">
        <summary>Column roles (optional: guessed from the data when left empty)</summary>
        {columns.length > 0 && (
          <p class="hint">
            Columns in the file: <span class="ds-columns">{columns.join(', ')}</span>
          </p>
        )}
        <datalist id="upload-columns">
          {columns.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <div class="form-grid">
          {roleFields.map(({ key, label, hint, list }) => (
            <Field key={key} id={`upload-${key}`} label={label} hint={hint} problems={problems[key]}>
              <input
                id={`upload-${key}`}
                value={String(form[key])}
                list={list ? undefined : 'upload-columns'}
                inputMode={key === 'ratio' ? 'numeric' : undefined}
                onInput={(e) => set(key, e.currentTarget.value)}
              />
            </Field>
          ))}
        </div>
      </details>

      <details class="ds-options">
        <summary>Checks and reading options</summary>
        <div class="form-grid">
          <Field id="upload-description" label="Description" problems={problems.description}>
            <input
              id="upload-description"
              value={form.description}
              onInput={(e) => set('description', e.currentTarget.value)}
            />
          </Field>
          <Field id="upload-nan" label="NaN and infinity">
            <select
              id="upload-nan"
              value={form.nan}
              onChange={(e) => set('nan', e.currentTarget.value as UploadForm['nan'])}
            >
              <option value="">refuse the upload (default)</option>
              <option value="missing">store as missing values</option>
            </select>
          </Field>
          <Field id="upload-duplicates" label="Equal times within a series">
            <select
              id="upload-duplicates"
              value={form.duplicates}
              onChange={(e) => set('duplicates', e.currentTarget.value as UploadForm['duplicates'])}
            >
              <option value="">default (refused for series, allowed for events)</option>
              <option value="reject">refuse</option>
              <option value="allow">allow</option>
            </select>
          </Field>
          <Field
            id="upload-delimiter"
            label="CSV delimiter"
            hint="one character; a comma when empty"
            problems={problems.delimiter}
          >
            <input
              id="upload-delimiter"
              value={form.delimiter}
              maxLength={1}
              size={3}
              onInput={(e) => set('delimiter', e.currentTarget.value)}
            />
          </Field>
          <label class="ds-check">
            <input
              type="checkbox"
              checked={form.sort}
              onChange={(e) => set('sort', e.currentTarget.checked)}
            />{' '}
            Sort rows by series and time (instead of refusing unsorted data)
          </label>
          <label class="ds-check">
            <input
              type="checkbox"
              checked={form.requireRegular}
              onChange={(e) => set('requireRegular', e.currentTarget.checked)}
            />{' '}
            Refuse series with gaps or stamps off the frequency
          </label>
        </div>
      </details>

      <div class="row ds-submit">
        <button type="submit" class="primary" data-testid="upload-submit" disabled={busy}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      {progress !== null && (
        <ProgressBar fraction={progress} label={`Uploading ${file?.name ?? ''}`} testId="upload-progress" />
      )}
      {refusal && <RefusalView refusal={refusal} delimiter={form.delimiter || ','} />}
    </form>
  );
}

function RefusalView({ refusal, delimiter }: { refusal: Refusal; delimiter: string }) {
  const { error, issues, records } = refusal;
  if (!issues.length) return <ErrorBox error={error} />;
  return (
    <div class="error ds-refusal" role="alert">
      <strong>{error instanceof ApiError && error.status ? `${error.status} ` : ''}</strong>
      {error.message}
      <UploadIssuesTable issues={issues} records={records} delimiter={delimiter} />
    </div>
  );
}

function Field({
  id,
  label,
  hint,
  problems,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  problems?: string[];
  children: ComponentChildren;
}) {
  return (
    <div class="form-field">
      <label for={id}>{label}</label>
      {children}
      {hint && <span class="hint">{hint}</span>}
      {problems?.map((p) => (
        <p key={p} class="field-error" role="alert">
          {p}
        </p>
      ))}
    </div>
  );
}

type RoleKey = Exclude<
  keyof UploadForm,
  'sort' | 'requireRegular' | 'kind' | 'format' | 'nan' | 'duplicates'
>;

/** The role inputs of each kind; `list: false` for the one that takes a number, not a column. */
const ROLE_INPUTS: Record<DatasetKind, { key: RoleKey; label: string; hint?: string; list?: false }[]> = {
  series: [
    { key: 'timeColumn', label: 'Time column' },
    { key: 'keyColumns', label: 'Series key columns', hint: 'comma-separated; empty: one series' },
    { key: 'valueColumns', label: 'Value columns', hint: 'comma-separated numeric targets' },
    { key: 'knownCovariates', label: 'Known covariates', hint: 'comma-separated' },
    { key: 'pastCovariates', label: 'Past covariates', hint: 'comma-separated' },
  ],
  events: [
    { key: 'sequenceColumn', label: 'Sequence column' },
    { key: 'timeColumn', label: 'Event time column' },
    { key: 'typeColumn', label: 'Event type column' },
  ],
  seq2seq: [
    { key: 'sequenceColumn', label: 'Sequence column' },
    { key: 'timeColumn', label: 'Step or time column' },
    { key: 'inputColumns', label: 'Input columns', hint: 'comma-separated' },
    { key: 'targetColumns', label: 'Target columns', hint: 'comma-separated' },
    { key: 'ratio', label: 'Ratio', hint: 'input rows per target row', list: false },
  ],
};
