import { describe, expect, it } from 'vitest';
import { IMDS_URL_ENV, imdsUrlProblem } from '../../src/requirements/imds';

const problem = (url: string, allowRemote = false) => imdsUrlProblem({ [IMDS_URL_ENV]: url }, allowRemote);

describe('imdsUrlProblem', () => {
  it.each(['http://127.0.0.1:8080/metadata', 'http://127.1/', 'http://127.255.0.9/x', 'http://[::1]:80/', 'http://[0:0:0:0:0:0:0:1]/', 'http://2130706433/'])('accepts the loopback address in %s', (url) => {
    expect(problem(url)).toBeNull();
  });

  it.each([
    ['http://169.254.169.254/metadata/instance', '169.254.169.254'],
    ['http://10.0.0.4/', '10.0.0.4'],
    ['http://localhost/', 'localhost'],
    ['http://127.0.0.1.nip.io/', '127.0.0.1.nip.io'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
  ])('refuses %s without the flag', (url, host) => {
    expect(problem(url)).toBe(`${IMDS_URL_ENV} ${url}: ${host} is not a loopback address (--allow-remote-imds-url allows it)`);
    expect(problem(url, true)).toBeNull();
  });

  it('refuses what is not an http URL, even with the flag, and says nothing when the variable is unset', () => {
    expect(problem('not a url', true)).toBe(`${IMDS_URL_ENV} not a url: is not a URL`);
    expect(problem('https://127.0.0.1/', true)).toBe(`${IMDS_URL_ENV} https://127.0.0.1/: only http: is supported`);
    expect(problem('file:///etc/shadow', true)).toBe(`${IMDS_URL_ENV} file:///etc/shadow: only http: is supported`);
    expect(imdsUrlProblem({}, false)).toBeNull();
  });
});
