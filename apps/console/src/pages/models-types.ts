// The shapes the Models page reads (GET /models, /models/:id, /models/:id/versions,
// /seq2seq-models, and a training job's progress), a subset of the OpenAPI document.
import type { Job, ModelKind } from '../types';

export type ModelFamily = 'series' | 'seq2seq';

/** A kind as GET /models/kinds gives it: the roles name the config fields the create inputs fill. */
export interface ZooKind extends ModelKind {
  family: ModelFamily | 'events';
  roles?: { lookback?: string; horizon?: string; maxHorizon?: string; numTypes?: string };
  defaults?: Record<string, unknown>;
}

export interface ModelSummary {
  id: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  datasetId: string;
  /** Series models: their target columns. */
  target?: string;
  targets?: string[];
  lookback?: number;
  horizon?: number;
  status: 'created' | 'training' | 'trained' | 'failed';
  latestVersionId: string | null;
  createdAt: string;
  diskBytes?: number;
}

export interface TrainCheckpoint {
  epoch: number;
  epochs: number;
  message: string;
}

export interface ModelDetail extends ModelSummary {
  checkpoint?: TrainCheckpoint | null;
}

export interface ModelVersion {
  id: string;
  version: number;
  metrics: Record<string, unknown> | null;
  backend: string | null;
  fitOn?: 'split' | 'all';
  createdAt: string;
  diskBytes?: number | null;
}

/** One ended epoch of a training job (GET /jobs/:id progress.curve). */
export interface EpochPoint {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
}

export type TrainJob = Job & { progress: Job['progress'] & { curve?: EpochPoint[] } };
