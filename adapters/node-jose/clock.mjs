// The suite clock and the allowed skew of the node-jose adapter, as jose's jwtVerify takes
// them (currentDate, clockTolerance).

export const currentDate = (now) => new Date(now * 1000);

export function skewOf(context, fallback) {
  const s = context.skew ?? fallback;
  if (typeof s !== 'number') throw new Error('context.skew is not a number');
  return s;
}
