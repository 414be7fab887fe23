import { Module } from '@nestjs/common';
import { DatasetsModule } from '@seqcast/data';
import { EventModelsModule } from '../events/event-models.module';
import { BacktestJobHandler } from './backtest.handler';
import { EvaluationsService } from './evaluations.service';
import { TppEvaluationJobHandler } from './tpp-eval.handler';
import { SequencesEvaluationJobHandler } from './sequences-eval.handler';
import { GenerationEvaluationJobHandler } from './generation-eval.handler';

/**
 * Evaluations as jobs: rolling-origin backtests of series models (with interval scores) and
 * EasyTPP-style evaluations of event models, whose stored datasets the events feature reads;
 * EBES-style evaluations of sequence-level models; LS4's generation protocol.
 */
@Module({
  imports: [DatasetsModule, EventModelsModule],
  providers: [
    EvaluationsService,
    BacktestJobHandler,
    TppEvaluationJobHandler,
    SequencesEvaluationJobHandler,
    GenerationEvaluationJobHandler,
  ],
  exports: [EvaluationsService],
})
export class EvaluationsModule {}
