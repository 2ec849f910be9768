import type { Check } from '../src/types';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import { parseGroupFile } from '../src/parsers/group-file';

const GROUP_FILE = '/etc/group';

export const dockerGroup: Check = {
  id: 'docker.group',
  title: 'docker group exists',
  area: 'docker',
  features: ['docker-group'],
  dependsOn: [],
  live: false,
  targets: ['shipyard'],
  description:
    "Batch Shipyard's node preparation adds the Batch user (_azbatch) to the `docker` group so that tasks can use the Docker socket, " +
    'which is owned by that group. Checks that the group exists in /etc/group. Not on native pools (`native: true`), where Batch runs the containers ' +
    'and node prep changes no group, nor with `ssh.allow_docker_access: true`, where node prep runs `usermod -aG _azbatchsudogrp _azbatch` instead ' +
    '(set_default_pool_user_privileges).',
  consequence:
    'fail: node prep runs `usermod -aG docker _azbatch` under set -e, which fails when the group does not exist; the node goes to starttaskfailed.',
  fix: 'Create the group: groupadd --system docker (Docker packages normally create it; the socket is group-owned by it).',
  async run({ host }) {
    let text: string | null;
    try {
      text = await host.fs.readTextIfExists(GROUP_FILE);
    } catch (err) {
      return unreadable(err);
    }
    if (text === null) return error(`${GROUP_FILE} does not exist, so the local groups cannot be told`, { file: GROUP_FILE });
    const { groups, malformed } = parseGroupFile(text);
    const evidence: Record<string, unknown> = { file: GROUP_FILE };
    if (malformed.length) evidence.malformedLines = malformed;
    const g = groups.get('docker');
    if (!g) return fail(`there is no docker group in ${GROUP_FILE}, so Batch Shipyard cannot add _azbatch to it`, 'groupadd --system docker', evidence);
    Object.assign(evidence, { gid: g.gid, members: g.members, line: g.line });
    return pass(`the docker group exists (GID ${g.gid}${g.members.length ? `, members: ${g.members.join(', ')}` : ''})`, evidence);
  },
};
