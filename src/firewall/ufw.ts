// ufw's saved configuration as the rule set it loads at boot: the default policies of
// /etc/default/ufw in front of the user rules (/etc/ufw/user.rules), which hold every `ufw allow`.
import type { IptablesSave } from '../parsers/iptables-save';
import { iptablesRuleSet } from './from-iptables';
import type { Chain, RuleSet } from './model';

export interface UfwConfig {
  inputPolicy: string;
  outputPolicy: string;
  userRules: IptablesSave;
}

const policy = (p: string): 'accept' | 'drop' => (p.toUpperCase() === 'ACCEPT' ? 'accept' : 'drop');

export function ufwRuleSet(cfg: UfwConfig, source: string): RuleSet {
  const user = iptablesRuleSet(cfg.userRules, source);
  const chains = new Map<string, Chain>(user.chains);
  const entry = (name: string, userChain: string, p: string): Chain => ({
    key: `filter/${name}`,
    policy: policy(p),
    rules: chains.has(`filter/${userChain}`) ? [{ conds: [], action: { kind: 'jump', chain: `filter/${userChain}` }, text: `-A ${name} -j ${userChain}` }] : [],
  });
  chains.set('filter/INPUT', entry('INPUT', 'ufw-user-input', cfg.inputPolicy));
  chains.set('filter/OUTPUT', entry('OUTPUT', 'ufw-user-output', cfg.outputPolicy));
  return {
    source,
    chains,
    base: [
      { key: 'filter/INPUT', hook: 'input', priority: 0 },
      { key: 'filter/OUTPUT', hook: 'output', priority: 0 },
    ],
  };
}
