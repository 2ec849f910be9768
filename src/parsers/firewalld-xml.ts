// firewalld zone and service definitions (/etc/firewalld/zones/*.xml, /usr/lib/firewalld/services/*.xml).
import { ParseError } from './parse-error';
import { parseXml, type XmlElement } from './xml-lite';

export interface FirewalldPort {
  port: string;
  protocol: string;
}

export interface FirewalldRichRule {
  source?: string;
  sourceInvert: boolean;
  ports: FirewalldPort[];
  services: string[];
  action: 'accept' | 'reject' | 'drop' | 'other';
  /** The rule in firewalld's own words, for evidence. */
  text: string;
}

export interface FirewalldZone {
  /** default, ACCEPT, DROP, %%REJECT%% */
  target: string;
  services: string[];
  ports: FirewalldPort[];
  sources: string[];
  interfaces: string[];
  rules: FirewalldRichRule[];
}

function ports(el: XmlElement): FirewalldPort[] {
  return el.children.filter((c) => c.name === 'port').map((c) => {
    if (!c.attrs.port || !c.attrs.protocol) throw new ParseError('<port> needs port= and protocol=');
    return { port: c.attrs.port, protocol: c.attrs.protocol };
  });
}

function richRule(el: XmlElement): FirewalldRichRule {
  const src = el.children.find((c) => c.name === 'source');
  const actionEl = el.children.find((c) => ['accept', 'reject', 'drop', 'mark'].includes(c.name));
  const action = actionEl?.name === 'accept' || actionEl?.name === 'reject' || actionEl?.name === 'drop' ? actionEl.name : 'other';
  const services = el.children.filter((c) => c.name === 'service').map((c) => c.attrs.name ?? '');
  const rule: FirewalldRichRule = {
    source: src?.attrs.address ?? src?.attrs.ipset ?? src?.attrs.mac,
    sourceInvert: src?.attrs.invert === 'True' || src?.attrs.invert === 'true',
    ports: ports(el),
    services,
    action,
    text: '',
  };
  const parts = [
    el.attrs.family ? `family="${el.attrs.family}"` : '',
    rule.source ? `source ${rule.sourceInvert ? 'NOT ' : ''}address="${rule.source}"` : '',
    ...rule.ports.map((p) => `port port="${p.port}" protocol="${p.protocol}"`),
    ...services.map((s) => `service name="${s}"`),
    action,
  ];
  rule.text = `rule ${parts.filter(Boolean).join(' ')}`;
  return rule;
}

export function parseFirewalldZone(text: string): FirewalldZone {
  const root = parseXml(text);
  if (root.name !== 'zone') throw new ParseError(`expected <zone>, found <${root.name}>`);
  const names = (tag: string, attr: string) => root.children.filter((c) => c.name === tag).map((c) => c.attrs[attr] ?? '').filter(Boolean);
  return {
    target: root.attrs.target ?? 'default',
    services: names('service', 'name'),
    ports: ports(root),
    sources: names('source', 'address'),
    interfaces: names('interface', 'name'),
    rules: root.children.filter((c) => c.name === 'rule').map(richRule),
  };
}

/** The ports a service definition opens. */
export function parseFirewalldService(text: string): FirewalldPort[] {
  const root = parseXml(text);
  if (root.name !== 'service') throw new ParseError(`expected <service>, found <${root.name}>`);
  return ports(root);
}
