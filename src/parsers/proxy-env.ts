// Which proxy curl uses for an http:// URL, from the environment, as curl decides it (curl(1)
// ENVIRONMENT; everything.curl.dev "Proxy environment variables"): `http_proxy` in lower case only
// (curl ignores HTTP_PROXY, a CGI-controllable name), else `ALL_PROXY` (lower case first); then
// `NO_PROXY` (lower case first) lists hosts that go direct: `*` for all, a name matching the host or
// a domain ending it (a leading dot is ignored), an IP address, or (curl 7.86+) a CIDR range.

export interface ProxyRoute {
  /** The proxy curl would use, as the variable gave it; null when curl goes direct. */
  proxy: string | null;
  /** The variable that named the proxy, or that made curl go direct. */
  why: string;
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { name, value: value.trim() };
  }
  return null;
}

function isIPv4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** An IPv4 address inside `a.b.c.d/n`. IPv6 ranges are not needed for 169.254.169.254 and never match. */
function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!isIPv4(ip) || !base || !isIPv4(base) || bitsText === undefined || !/^\d+$/.test(bitsText) || bits > 32) return false;
  // Bitwise ops are signed 32-bit in JavaScript: drop the host bits by remainder instead.
  const network = (v: number) => v - (v % 2 ** (32 - bits));
  return network(ipv4ToInt(ip)) === network(ipv4ToInt(base));
}

function noProxyCovers(entry: string, host: string): boolean {
  const e = entry.toLowerCase().replace(/^\./, '');
  if (!e) return false;
  if (e.includes('/')) return inCidr(host, e);
  // An address is matched whole (an IPv6 one too: it holds colons); only names match by domain.
  if (isIPv4(host) || host.includes(':')) return e === host;
  return host === e || host.endsWith(`.${e}`);
}

/** The route curl takes to `host` over http. */
export function curlHttpProxy(env: NodeJS.ProcessEnv, host: string): ProxyRoute {
  const proxy = firstSet(env, ['http_proxy', 'all_proxy', 'ALL_PROXY']);
  if (!proxy) return { proxy: null, why: 'no http_proxy or ALL_PROXY is set' };
  const noProxy = firstSet(env, ['no_proxy', 'NO_PROXY']);
  const entries = noProxy ? noProxy.value.split(',').map((e) => e.trim()) : [];
  const hit = entries.find((e) => e === '*' || noProxyCovers(e, host.toLowerCase()));
  if (noProxy && hit !== undefined) return { proxy: null, why: `${noProxy.name} lists ${hit}` };
  return { proxy: proxy.value, why: `${proxy.name} is set${noProxy ? ` and ${noProxy.name} does not cover ${host}` : ', with no no_proxy/NO_PROXY'}` };
}

/** The proxy as a URL (curl assumes http:// without a scheme), or null when it cannot be read. */
export function proxyUrl(proxy: string): URL | null {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
  } catch {
    return null;
  }
}

/** The proxy for messages and evidence: never its user name or password. */
export function redactProxy(proxy: string): string {
  const u = proxyUrl(proxy);
  if (!u) return '(an unreadable proxy value)';
  return `${u.protocol}//${u.username || u.password ? '***@' : ''}${u.host}`;
}
