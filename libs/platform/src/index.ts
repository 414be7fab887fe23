export * from './platform.module';
export { TensorModule } from './tensor/tensor.module';
export { DIAGNOSTIC_TRAIN } from './tensor/train-check.handler';
