/**
 * What Fastify may believe of `X-Forwarded-For` (`TRUST_PROXY`). Trusting it
 * wholesale would let any client name its own address (and so escape every
 * per-address limit): `true`/`1` trusts exactly one proxy in front (the
 * address that proxy saw is the client), a number N trusts N proxies, and a
 * comma-separated list of addresses or CIDR ranges trusts those proxies only.
 */
export const trustProxyHops = (value: string | boolean | number | undefined): false | number | string => {
  if (value === undefined || value === false || value === '' || value === 'false' || value === '0' || value === 0) return false;
  if (value === true || value === 'true') return 1;
  if (typeof value === 'number') return Math.max(0, Math.trunc(value));
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
};

/** The same, as Fastify's `trustProxy` option: N hops becomes "trust the first N addresses from the socket". */
export const trustProxyFrom = (value: string | boolean | number | undefined): false | string | ((address: string, hop: number) => boolean) => {
  const trusted = trustProxyHops(value);
  return typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : trusted;
};
