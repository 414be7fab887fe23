/**
 * The tfjs backend event models run on when TF_BACKEND is `auto`: cpu, where every fused
 * event kernel (libs/events/src/nn/fused-*.ts) has its native or JS implementation and where
 * the figures in docs/benchmarks.md were made. The training job, the evaluation job and the
 * CLI all ask here, so one model trained over HTTP and evaluated in the CLI runs the same
 * kernels; an explicit TF_BACKEND is honoured as given.
 */
export const EVENT_MODELS_AUTO_BACKEND = 'cpu' as const;

/** The backend request for event work from the configured TF_BACKEND. */
export function eventBackendRequest(configured: string): string {
  return configured.trim().toLowerCase() === 'auto' ? EVENT_MODELS_AUTO_BACKEND : configured;
}
