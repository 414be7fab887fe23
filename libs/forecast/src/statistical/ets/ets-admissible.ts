import { rootsWithin } from '../polynomial-stability';
import type { EtsParams, EtsSpec } from './ets-model';
import { LOWER, UPPER } from './ets-init';

/**
 * Whether the parameters lie in the forecast package's "both" region: the usual bounds
 * (beta <= alpha, gamma <= 1 - alpha, each in its box) and the admissible region of
 * Hyndman et al. (2008, ch. 10), where the discount matrix is stable. For seasonal models
 * that is the roots of the characteristic polynomial: R asks max |root| <= 1 + 1e-10 of
 * polyroot's roots, here a Schur-Cohn test asks |root| < 1 + 1e-8 (undamped models without
 * trend always have a root at exactly 1, so the margin matters; 1e-8 is above the rounding
 * of the step-down, and of polyroot).
 */
export function parametersAllowed(spec: EtsSpec, p: EtsParams): boolean {
  const { alpha, beta, gamma, phi } = p;
  if (alpha < LOWER.alpha || alpha > UPPER.alpha) return false;
  const hasTrend = spec.trend !== 'N';
  const hasSeason = spec.season !== 'N';
  if (hasTrend && (beta < LOWER.beta || beta > alpha || beta > UPPER.beta)) return false;
  if (spec.damped && (phi < LOWER.phi || phi > UPPER.phi)) return false;
  if (hasSeason && (gamma < LOWER.gamma || gamma > 1 - alpha || gamma > UPPER.gamma)) return false;
  return admissible(spec, p);
}

function admissible(spec: EtsSpec, p: EtsParams): boolean {
  const { alpha, phi } = p;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (spec.season === 'N') {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (spec.trend !== 'N' && (p.beta < alpha * (phi - 1) || p.beta > (1 + phi) * (2 - alpha))) return false;
    return true;
  }
  const m = spec.m;
  if (m <= 1) return true;
  const beta = spec.trend === 'N' ? 0 : p.beta;
  const gamma = p.gamma;
  if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // the characteristic polynomial's m + 2 coefficients, in a buffer kept between calls
  if (poly.length < m + 2) poly = new Float64Array(m + 2);
  const P = poly.length === m + 2 ? poly : poly.subarray(0, m + 2);
  P[0] = phi * (1 - alpha - gamma);
  P[1] = alpha + beta - alpha * phi + gamma - 1;
  for (let i = 2; i < m; i++) P[i] = alpha + beta - alpha * phi;
  P[m] = alpha + beta - phi;
  P[m + 1] = 1;
  return rootsWithin(P, 1 + 1e-8);
}

let poly = new Float64Array(14);
