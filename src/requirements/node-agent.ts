// What a pool's node agent SKU id (custom_image.node_agent, e.g. "batch.node.ubuntu 22.04") says
// about the image: the distribution family it must be, and where the resource disk is mounted.
import { NODE_AGENT_FAMILIES } from '../data/batch-distros';
import { agentDefaultMount } from '../probes/resource-disk';

export interface NodeAgentExpectations {
  family: string;
  version?: string;
  nodeAgent: string;
  resourceMount: string;
}

/** Why a node agent id cannot be used, or null when it is one this tool understands. */
export function nodeAgentProblem(nodeAgent: string): string | null {
  const m = /^batch\.node\.([a-z]+)/i.exec(nodeAgent.trim());
  // A SKU id is one line; a line break inside it would also defeat nodeAgentExpectations' match.
  if (m && /[\u0000-\u001f\u007f\u2028\u2029]/.test(nodeAgent.trim())) return 'expected a node agent SKU id on one line, without control characters';
  if (!m) return 'expected a node agent SKU id such as "batch.node.ubuntu 22.04" or "batch.node.el 9"';
  if (m[1]!.toLowerCase() === 'windows') return 'is a Windows node agent; batch-preflight checks Linux nodes';
  return null;
}

/** Call only after nodeAgentProblem() said null. */
export function nodeAgentExpectations(nodeAgent: string): NodeAgentExpectations {
  const trimmed = nodeAgent.trim();
  const m = /^batch\.node\.([a-z]+)\s*(.*)$/i.exec(trimmed)!;
  const distro = m[1]!.toLowerCase();
  const family = Object.entries(NODE_AGENT_FAMILIES).find(([, f]) => f.agents.includes(distro))?.[0] ?? distro;
  const version = m[2]!.trim();
  return { family, ...(version ? { version } : {}), nodeAgent: trimmed, resourceMount: agentDefaultMount(distro) };
}
