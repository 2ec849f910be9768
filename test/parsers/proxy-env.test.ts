// curl's proxy choice for an http:// URL (curl(1) ENVIRONMENT; everything.curl.dev "Proxy environment
// variables"): http_proxy in lower case only, else ALL_PROXY; no_proxy before NO_PROXY.
import { describe, expect, it } from 'vitest';
import { curlHttpProxy, proxyUrl, redactProxy } from '../../src/parsers/proxy-env';

const IMDS = '169.254.169.254';

describe('curlHttpProxy', () => {
  it('takes http_proxy, never HTTP_PROXY, then all_proxy/ALL_PROXY', () => {
    expect(curlHttpProxy({}, IMDS)).toEqual({ proxy: null, why: 'no http_proxy or ALL_PROXY is set' });
    expect(curlHttpProxy({ HTTP_PROXY: 'p:1' }, IMDS).proxy).toBeNull();
    expect(curlHttpProxy({ http_proxy: 'p:1', ALL_PROXY: 'q:2' }, IMDS).proxy).toBe('p:1');
    expect(curlHttpProxy({ all_proxy: 'a:1', ALL_PROXY: 'q:2' }, IMDS).proxy).toBe('a:1');
    expect(curlHttpProxy({ http_proxy: '  ' }, IMDS).proxy).toBeNull();
  });

  it('no_proxy before NO_PROXY; exact addresses, ranges, * and names', () => {
    const p = { http_proxy: 'p:1' };
    expect(curlHttpProxy({ ...p, no_proxy: 'localhost', NO_PROXY: IMDS }, IMDS).proxy).toBe('p:1');
    expect(curlHttpProxy({ ...p, no_proxy: ` localhost , ${IMDS} ` }, IMDS).proxy).toBeNull();
    expect(curlHttpProxy({ ...p, no_proxy: '169.254.169.25' }, IMDS).proxy).toBe('p:1');
    expect(curlHttpProxy({ ...p, no_proxy: '169.254.0.0/16' }, IMDS).proxy).toBeNull();
    expect(curlHttpProxy({ ...p, no_proxy: '169.254.169.254/32' }, IMDS).proxy).toBeNull();
    expect(curlHttpProxy({ ...p, no_proxy: '169.254.169.0/31' }, IMDS).proxy).toBe('p:1');
    expect(curlHttpProxy({ ...p, no_proxy: '0.0.0.0/0' }, IMDS).proxy).toBeNull();
    expect(curlHttpProxy({ ...p, no_proxy: '10.0.0.0/8,169.254.0.0/33,169.254.0.0/x' }, IMDS).proxy).toBe('p:1');
    expect(curlHttpProxy({ ...p, no_proxy: '*' }, IMDS).proxy).toBeNull();
    // A domain does not cover an address that happens to end like it.
    expect(curlHttpProxy({ ...p, no_proxy: '.254' }, IMDS).proxy).toBe('p:1');
    expect(curlHttpProxy({ ...p, no_proxy: '.example.com' }, 'metadata.example.com').proxy).toBeNull();
    expect(curlHttpProxy({ ...p, no_proxy: 'example.com' }, 'notexample.com').proxy).toBe('p:1');
  });

  it('reads a proxy without a scheme as http, and hides credentials', () => {
    expect(proxyUrl('proxy.corp:3128')?.href).toBe('http://proxy.corp:3128/');
    expect(proxyUrl('socks5://h:1')?.protocol).toBe('socks5:');
    expect(proxyUrl('http://[bad')).toBeNull();
    expect(redactProxy('http://u:p@proxy.corp:3128')).toBe('http://***@proxy.corp:3128');
    expect(redactProxy('proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(redactProxy('http://[bad')).toBe('(an unreadable proxy value)');
  });
});
