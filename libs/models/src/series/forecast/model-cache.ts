import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { DATASET_STORE, DatasetStore, VersionView } from '@seqcast/data';
import { forecasterRegistry, loadScaledForecaster, ScaledForecaster } from '@seqcast/forecast';
import { ArtifactStore } from '@seqcast/tensor';
import { ARTIFACT_STORE } from '../../artifact-store.provider';
import { ChannelSeries, loadChannelSeries, loadTargetSeries, TargetSeries } from '../../series-data';
import { Lru } from '../../lru';

export interface LoadedModel {
  versionId: string;
  /** The model with its per-series scaling (old artifacts' scales come from their manifest). */
  forecaster: ScaledForecaster;
  /** The frequency of the data it was trained on (its manifest's), which sets a timed model's time axis. */
  trainedFrequency: string | null;
}

/**
 * Keeps trained models and the series they forecast in memory. A model is loaded from
 * its artifact once per version; series values once per dataset version and target,
 * so a forecast request touches neither the artifact nor the Arrow files.
 */
@Injectable()
export class ModelCache implements OnModuleDestroy {
  private readonly models: Lru<string, Promise<LoadedModel>>;
  private readonly series = new Lru<string, Promise<Map<string, TargetSeries>>>(8);
  private readonly channels = new Lru<string, Promise<Map<string, ChannelSeries>>>(8);
  /** Model lookups served from memory and those that loaded an artifact (read by the api's /metrics). */
  readonly stats = { hits: 0, misses: 0 };
  private readonly uncountedLoads = new Set<string>();

  constructor(
    config: AppConfig,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
  ) {
    this.models = new Lru(
      config.MODEL_CACHE_SIZE,
      (p) => void p.then((m) => m.forecaster.dispose()).catch(() => undefined),
    );
  }

  /**
   * The loaded model of a version. `count: false` is for a look ahead of the request's own
   * lookup (the forecast route's context cut): a load it starts is counted as the miss of the
   * next counted lookup, so each request still counts once.
   */
  model(artifactRef: string, versionId: string, { count = true } = {}): Promise<LoadedModel> {
    let p = this.models.get(versionId);
    const loadsNow = !p;
    if (count) {
      if (loadsNow || this.uncountedLoads.delete(versionId)) this.stats.misses++;
      else this.stats.hits++;
    } else if (loadsNow) this.uncountedLoads.add(versionId);
    if (!p) {
      p = loadScaledForecaster(this.artifacts, artifactRef, forecasterRegistry).then(
        ({ model, manifest }) => ({
          versionId,
          forecaster: model,
          trainedFrequency:
            (manifest.dataSchema as { frequency?: string | null } | undefined)?.frequency ?? null,
        }),
      );
      // A failed load is not cached: the next request tries again.
      p.catch(() => this.models.delete(versionId));
      this.models.set(versionId, p);
    }
    return p;
  }

  seriesOf(version: VersionView, target: string): Promise<Map<string, TargetSeries>> {
    const key = `${version.id}:${target}`;
    let p = this.series.get(key);
    if (!p) {
      p = loadTargetSeries(this.store, version, target).then((all) => new Map(all.map((s) => [s.key, s])));
      p.catch(() => this.series.delete(key));
      this.series.set(key, p);
    }
    return p;
  }

  /** Every series of a dataset version with one array per target column (a model's channels). */
  channelsOf(version: VersionView, targets: string[]): Promise<Map<string, ChannelSeries>> {
    const key = `${version.id}:${JSON.stringify(targets)}`;
    let p = this.channels.get(key);
    if (!p) {
      p = loadChannelSeries(this.store, version, targets).then((all) => new Map(all.map((s) => [s.key, s])));
      p.catch(() => this.channels.delete(key));
      this.channels.set(key, p);
    }
    return p;
  }

  /** Forgets a model's loaded versions (after it is deleted). */
  forget(versionId: string): void {
    this.models.delete(versionId);
  }

  onModuleDestroy(): void {
    // Eviction disposes, so emptying the cache frees every model's tensors.
    this.models.clear();
    this.series.clear();
    this.channels.clear();
  }
}
