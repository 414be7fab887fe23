import { copyRows, lengthsFromMask, stepPlan } from './step-plan';

describe('step plans', () => {
  it('order rows longest first, count the running rows per step and copy between layouts', () => {
    const plan = stepPlan(3, 4, [2, 4, 0]);
    expect(Array.from(plan.order)).toEqual([1, 0, 2]);
    expect(Array.from(plan.active)).toEqual([2, 2, 1, 1]);
    expect(Array.from(lengthsFromMask(Float32Array.of(1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0), 3, 4))).toEqual([
      2, 4, 0,
    ]);
    const batch = Float32Array.from({ length: 12 }, (_, i) => i + 1); // [B, T], W = 1
    const internal = new Float32Array(12);
    copyRows(plan, 1, batch, 0, internal, 0, true);
    expect(Array.from(internal)).toEqual([5, 1, 0, 6, 2, 0, 7, 0, 0, 8, 0, 0]);
    const back = new Float32Array(12);
    copyRows(plan, 1, internal, 0, back, 0, false);
    expect(Array.from(back)).toEqual([1, 2, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0]);
  });
});
