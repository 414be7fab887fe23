import { RecordBatch } from 'apache-arrow';
import { NotFound } from '@seqcast/core';
import { createReadStream, existsSync } from 'fs';
import { fieldsOf } from '../arrow/arrow-types';
import { EventWindowOptions } from '../importers/event-windows';
import { EventSequence } from '../pipeline/event-batches';
import { loadEventSequences } from '../pipeline/load';
import { EventSchema } from '../schema/dataset-schema';
import { EventRoleHints, resolveRoles } from '../schema/resolve-roles';
import { BatchValidator, defaultValidationOptions } from '../validation/batch-validator';
import { IssueCollector } from '../validation/issues';
import { InputFormat, formatFromFileName, openSource } from './open-source';

export interface ReadEventFileOptions {
  /** Default: from the file name (`formatFromFileName`: a `.json` file of events is EasyTPP JSON). */
  format?: InputFormat;
  /** Cut one long event stream (a catalogue) into sequences by time windows. */
  eventWindows?: EventWindowOptions;
  roles?: EventRoleHints;
}

export interface EventFileContent {
  sequences: EventSequence[];
  numTypes: number;
  typeNames: string[];
}

/**
 * Reads an event file into memory through the same importers and checks as an upload,
 * without storing a version: for evaluations and benchmarks that name a file. A file the
 * upload would refuse is refused here with the same rows and reasons.
 */
export async function readEventFile(
  file: string,
  options: ReadEventFileOptions = {},
): Promise<EventFileContent> {
  if (!existsSync(file))
    throw new NotFound(`No such file ${file}`, [{ field: 'file', reason: `not found: ${file}` }]);
  const format = options.format ?? formatFromFileName(file, 'events');
  const defaults = defaultValidationOptions('events');
  const issues = new IssueCollector(defaults.maxIssues);
  const { source } = await openSource(
    createReadStream(file),
    { format, kind: 'events', eventWindows: options.eventWindows, roles: options.roles },
    issues,
  );
  const roles = resolveRoles(source.schema, 'events', {
    ...(source.roles ?? {}),
    ...(options.roles ?? {}),
  }) as EventSchema;
  const validator = new BatchValidator(roles, source.schema, { ...defaults, issues });
  async function* checked(): AsyncGenerator<RecordBatch> {
    for await (const batch of source.batches) {
      if (batch.numRows === 0) continue;
      const out = validator.accept(batch);
      issues.throwIfAny();
      yield out;
    }
    validator.finish();
  }
  const schema = {
    ...roles,
    ...(source.numTypes ? { numTypes: source.numTypes } : {}),
    fields: fieldsOf(validator.output),
  };
  return loadEventSequences(checked(), schema);
}
