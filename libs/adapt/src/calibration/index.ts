export { FullGatedModule, LowRankGatedModule, type GatedModule } from './gated-module';
export {
  mseLoss,
  huberLoss,
  spectralL1,
  patchStructuralLoss,
  petsaPaperLoss,
  petsaReferenceLoss,
  type PetsaLossWeights,
} from './losses';
export { dominantPeriod, FALLBACK_PERIOD } from './period';
export { CoupledAdam, type AdamState } from './adam';
export { ScheduledAdapter, scheduleFields, type ScheduleOptions } from './scheduled-adapter';
export { TafasAdapter, tafasSchema, tafasDefinition, type TafasOptions } from './tafas';
export { PetsaAdapter, petsaSchema, petsaDefinition, type PetsaOptions } from './petsa';
