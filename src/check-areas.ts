// The areas built-in checks belong to, in report order: the human report groups checks by area,
// and the README's check table and docs/checks.md list them (test/registry.test.ts keeps the
// README in step). Checks from --checks-file or --plugin may name areas of their own.
export const CHECK_AREAS = ['os', 'security', 'docker', 'containers', 'gpu', 'hardware', 'rdma', 'mpi', 'storage', 'network', 'azure'] as const;
