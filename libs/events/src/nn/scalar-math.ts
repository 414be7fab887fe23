/** log(1 + e^x) without overflow (the fused ops' softplus on doubles). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
