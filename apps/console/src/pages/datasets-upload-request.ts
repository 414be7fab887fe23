import { formatOfFileName, type InputFormat } from '../../../../libs/data/src/ingest/file-format';
import type { DatasetKind } from './datasets-types';

// POST /datasets takes the file as the body and everything else as query parameters
// (dataset.dto.ts UploadQuery); this turns the upload form into that request.

// formatFromFileName(name, kind): the format a file's name suggests, by the CLI's ingest's rule
// (a `.json` of events is EasyTPP JSON); null when the name says nothing: the user picks one.
export { formatOfFileName as formatFromFileName, type InputFormat };

/** The formats in the order the form offers them (the commonest first). */
export const INPUT_FORMATS: readonly InputFormat[] = [
  'csv',
  'json',
  'ndjson',
  'arrow',
  'parquet',
  'tsf',
  'ts',
  'easytpp',
];

/** The Content-Type each format is sent as: one of the upload types the API accepts. */
const CONTENT_TYPES: Record<InputFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
  easytpp: 'application/json',
  ndjson: 'application/x-ndjson',
  arrow: 'application/vnd.apache.arrow.stream',
  parquet: 'application/vnd.apache.parquet',
  tsf: 'application/x-tsf',
  ts: 'application/octet-stream',
};

export function contentTypeOf(format: InputFormat): string {
  return CONTENT_TYPES[format];
}

/** The upload form as the user filled it: text fields as typed, lists comma-separated. */
export interface UploadForm {
  name: string;
  description: string;
  kind: DatasetKind;
  /** '' = from the file name. */
  format: InputFormat | '';
  timeColumn: string;
  keyColumns: string;
  valueColumns: string;
  knownCovariates: string;
  pastCovariates: string;
  sequenceColumn: string;
  typeColumn: string;
  inputColumns: string;
  targetColumns: string;
  ratio: string;
  delimiter: string;
  nan: '' | 'reject' | 'missing';
  duplicates: '' | 'reject' | 'allow';
  sort: boolean;
  requireRegular: boolean;
}

export const EMPTY_UPLOAD: UploadForm = {
  name: '',
  description: '',
  kind: 'series',
  format: '',
  timeColumn: '',
  keyColumns: '',
  valueColumns: '',
  knownCovariates: '',
  pastCovariates: '',
  sequenceColumn: '',
  typeColumn: '',
  inputColumns: '',
  targetColumns: '',
  ratio: '',
  delimiter: '',
  nan: '',
  duplicates: '',
  sort: false,
  requireRegular: false,
};

/** The role fields each kind takes; the others are left out of the request. */
const ROLE_FIELDS: Record<DatasetKind, (keyof UploadForm)[]> = {
  series: ['timeColumn', 'keyColumns', 'valueColumns', 'knownCovariates', 'pastCovariates'],
  events: ['timeColumn', 'sequenceColumn', 'typeColumn'],
  seq2seq: ['timeColumn', 'sequenceColumn', 'inputColumns', 'targetColumns', 'ratio'],
};

/** The fields that name several columns (the others name one, which may hold a comma). */
const LIST_FIELDS = new Set<keyof UploadForm>([
  'keyColumns',
  'valueColumns',
  'knownCovariates',
  'pastCovariates',
  'inputColumns',
  'targetColumns',
]);

/** Comma-separated lists normalised: blanks around names and empty entries dropped. */
function list(text: string): string {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
}

export interface UploadRequest {
  path: string;
  contentType: string;
  format: InputFormat;
}

/**
 * The request for a file and the form, or the fields to fix first (the API would refuse them
 * too; naming them here saves sending the whole file to learn it).
 */
export function uploadRequest(
  fileName: string,
  form: UploadForm,
): { request: UploadRequest } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (!form.name.trim()) problems.name = 'give the dataset a name';
  else if (form.name.trim().length > 200) problems.name = 'at most 200 characters';
  const format = form.format || formatOfFileName(fileName, form.kind);
  if (!format) problems.format = `cannot tell the format of ${fileName || 'the file'}: choose one`;
  if (form.ratio.trim() && !/^[1-9]\d*$/.test(form.ratio.trim())) problems.ratio = 'an integer of at least 1';
  if (form.delimiter && form.delimiter.length !== 1) problems.delimiter = 'one character';
  if (Object.keys(problems).length || !format) return { problems };

  const q = new URLSearchParams();
  q.set('name', form.name.trim());
  if (form.description.trim()) q.set('description', form.description.trim());
  q.set('kind', form.kind);
  q.set('format', format);
  for (const field of ROLE_FIELDS[form.kind]) {
    const text = String(form[field]);
    const value = LIST_FIELDS.has(field) ? list(text) : text.trim();
    if (value) q.set(field, value);
  }
  if (form.delimiter && format === 'csv') q.set('delimiter', form.delimiter);
  if (form.nan) q.set('nan', form.nan);
  if (form.duplicates) q.set('duplicates', form.duplicates);
  if (form.sort) q.set('sort', 'true');
  if (form.requireRegular) q.set('requireRegular', 'true');
  return { request: { path: `/datasets?${q}`, contentType: contentTypeOf(format), format } };
}
