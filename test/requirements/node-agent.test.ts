import { describe, expect, it } from 'vitest';
import { nodeAgentExpectations, nodeAgentProblem } from '../../src/requirements/node-agent';

describe('node agent SKU ids', () => {
  it.each([
    ['batch.node.ubuntu 22.04', 'ubuntu', '22.04', '/mnt'],
    ['batch.node.ubuntu 18.04', 'ubuntu', '18.04', '/mnt'],
    ['batch.node.el 9', 'el', '9', '/mnt/resource'],
    ['batch.node.centos 7', 'el', '7', '/mnt/resource'],
    ['batch.node.rhel 8', 'el', '8', '/mnt/resource'],
    ['batch.node.debian 12', 'debian', '12', '/mnt/resource'],
    ['batch.node.sles 15', 'suse', '15', '/mnt/resource'],
    ['batch.node.opensuse 42.1', 'suse', '42.1', '/mnt/resource'],
    ['batch.node.mariner 2.0', 'azurelinux', '2.0', '/mnt/resource'],
    ['Batch.Node.Ubuntu 20.04', 'ubuntu', '20.04', '/mnt'],
    ['batch.node.futureos 1', 'futureos', '1', '/mnt/resource'],
  ])('%s -> family %s %s, resource disk %s', (agent, family, version, mount) => {
    expect(nodeAgentProblem(agent)).toBeNull();
    expect(nodeAgentExpectations(agent)).toEqual({ family, version, nodeAgent: agent, resourceMount: mount });
  });

  it('leaves the version out when there is none', () => {
    expect(nodeAgentExpectations('batch.node.el')).toEqual({ family: 'el', nodeAgent: 'batch.node.el', resourceMount: '/mnt/resource' });
  });

  it.each([
    ['batch.node.windows amd64', /Windows/],
    ['ubuntu 22.04', /expected a node agent SKU id/],
    ['', /expected a node agent SKU id/],
  ])('refuses %j', (agent, why) => {
    expect(nodeAgentProblem(agent)).toMatch(why);
  });
});
