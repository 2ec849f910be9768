// No test may reach the real instance metadata service (169.254.169.254): every agent a test starts
// inherits this loopback endpoint, where nothing listens, unless the test points it at its own server.
import { IMDS_URL_ENV } from '../../src/host/imds';

export const NO_IMDS = 'http://127.0.0.1:9/no-imds-in-tests';
process.env[IMDS_URL_ENV] ??= NO_IMDS;
