import { geluValue } from './spacetime/fused-ops';
it('times', () => {
  let s = 0; let t0 = Date.now();
  for (let i = 0; i < 1e7; i++) s += Math.exp(-i * 1e-7);
  console.log('exp', Date.now() - t0, s);
  t0 = Date.now(); s = 0;
  for (let i = 0; i < 1e7; i++) s += geluValue(i * 1e-7);
  console.log('gelu', Date.now() - t0, s);
  const out = new Float32Array(336 * 64); const g = new Float32Array(336);
  t0 = Date.now();
  for (let rep = 0; rep < 3200; rep++) for (let e = 0; e < 64; e += 4) { const o0 = e * 336, o1 = o0 + 336, o2 = o1 + 336, o3 = o2 + 336; for (let t = 0; t < 336; t++) { const gv = g[t]; out[o0 + t] += 0.1 * gv; out[o1 + t] += 0.2 * gv; out[o2 + t] += 0.3 * gv; out[o3 + t] += 0.4 * gv; } }
  console.log('axpy4', Date.now() - t0);
});
