// No test may reach the real instance metadata service (169.254.169.254): every agent a test starts
// inherits this loopback endpoint, where nothing listens, unless the test points it at its own server.
import { IMDS_URL_ENV } from '../../src/host/imds';

export const NO_IMDS = 'http://127.0.0.1:9/no-imds-in-tests';
process.env[IMDS_URL_ENV] ??= NO_IMDS;
// Node prep's metadata request follows curl's proxy variables, and so does azure.imds: a proxy set on
// the machine running the tests must not change what the tests ask, or send them anywhere.
for (const name of ['http_proxy', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY']) delete process.env[name];
