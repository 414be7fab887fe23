import { ValidationFailed } from '@seqcast/core';
import type { SequenceRow } from '@seqcast/events';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { SequenceDataset } from './sequence-dataset';

/** The cases of an sktime / UEA `.ts` classification file: dimensions per case, then the label. */
export function readUeaCases(file: string): {
  cases: number[][][];
  labels: string[];
  classes: string[];
  dimensions: number;
} {
  const text = readFileSync(file, 'utf8');
  let dimensions = 1;
  let classes: string[] = [];
  let inData = false;
  const cases: number[][][] = [];
  const labels: string[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (!inData) {
      const [tag, ...rest] = line.split(/\s+/);
      const t = tag.toLowerCase();
      if (t === '@dimensions') dimensions = Number(rest[0]);
      else if (t === '@classlabel' && rest[0] === 'true') classes = rest.slice(1);
      else if (t === '@timestamps' && rest[0] === 'true')
        throw new ValidationFailed(`${path.basename(file)}: timestamped .ts files are not supported`, [
          { field: '@timeStamps', reason: 'must be false' },
        ]);
      else if (t === '@data') inData = true;
      return;
    }
    const parts = line.split(':');
    const label = parts.pop()!.trim();
    if (parts.length !== dimensions)
      throw new ValidationFailed(
        `${path.basename(file)} line ${n + 1}: ${parts.length} dimensions, header says ${dimensions}`,
        [{ field: 'file', reason: 'malformed case' }],
      );
    const dims = parts.map((p) => p.split(',').map(Number));
    if (dims.some((d) => d.length !== dims[0].length || d.some((v) => !Number.isFinite(v))))
      throw new ValidationFailed(`${path.basename(file)} line ${n + 1}: ragged or missing values`, [
        { field: 'file', reason: 'malformed case' },
      ]);
    cases.push(dims);
    labels.push(label);
  });
  if (!classes.length)
    throw new ValidationFailed(`${path.basename(file)} has no class labels`, [
      { field: 'target', reason: 'the file has no @classLabel true line: no target to classify' },
    ]);
  return { cases, labels, classes, dimensions };
}

/**
 * A UEA classification problem from its official TRAIN and TEST files: each case a sequence
 * with one event per step (time = position, no time information of its own), the dimensions
 * as numeric features, the label as the class. TRAIN is the protocol's pool, TEST fixed.
 */
export function ueaClassification(name: string, trainFile: string, testFile: string): SequenceDataset {
  const train = readUeaCases(trainFile);
  const test = readUeaCases(testFile);
  const classes = train.classes;
  const rows = (d: ReturnType<typeof readUeaCases>, which: string): SequenceRow[] =>
    d.cases.map((dims, i) => {
      const target = classes.indexOf(d.labels[i]);
      if (target < 0)
        throw new ValidationFailed(`${which} case ${i + 1}: label '${d.labels[i]}' is not a class`, [
          { field: 'target', reason: `one of ${classes.join(' ')}` },
        ]);
      const L = dims[0].length;
      return {
        times: Array.from({ length: L }, (_, t) => t),
        numeric: Array.from({ length: L }, (_, t) => dims.map((d) => d[t])),
        target,
      };
    });
  return {
    name,
    schema: {
      task: 'classification',
      numClasses: classes.length,
      numericFeatures: train.dimensions,
      categoricalCardinalities: [],
    },
    pool: rows(train, 'TRAIN'),
    test: rows(test, 'TEST'),
    classes,
  };
}
