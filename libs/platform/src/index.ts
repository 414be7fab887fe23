export * from './platform.module';
export { TensorModule } from './tensor/tensor.module';
export { DIAGNOSTIC_TRAIN } from './tensor/train-check.handler';
export { Counter, Gauge, Histogram, renderAll, EXPOSITION_CONTENT_TYPE } from './metrics/exposition';
export { PlatformMetrics } from './metrics/platform-metrics';
export { serveMetrics, metricsPort } from './metrics/metrics-server';
