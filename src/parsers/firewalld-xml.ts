// firewalld zone and service definitions (/etc/firewalld/zones/*.xml, /usr/lib/firewalld/services/*.xml),
// read with fast-xml-parser after its well-formedness check.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError } from './parse-error';

export interface FirewalldPort {
  port: string;
  protocol: string;
}

export interface FirewalldRichRule {
  /** ipv4, ipv6, or none for both. */
  family?: string;
  source?: string;
  sourceInvert: boolean;
  ports: FirewalldPort[];
  services: string[];
  action: 'accept' | 'reject' | 'drop' | 'other';
  /** It names no port, service, protocol or other match: it applies to all traffic (from its source). */
  anyTraffic: boolean;
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

/** An element as fast-xml-parser gives it: attributes under `@_name`, child elements by name. */
type Element = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay text: a port range such as 29876-29877 is no number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Every child element is a list, whether it occurs once or many times.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  // Decodes numeric character references too.
  htmlEntities: true,
});

/** The child elements named `name` (an element without attributes or children is just its text). */
const elements = (parent: Element, name: string): Element[] =>
  ((parent[name] as unknown[] | undefined) ?? []).map((c) => (typeof c === 'object' && c !== null ? (c as Element) : {}));

function attr(el: Element, name: string): string | undefined {
  const v = el[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** The document element, which must be `<expected>`. */
function documentElement(text: string, expected: string): Element {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ParseError('not well-formed XML', valid.err.line, valid.err.col);
  let doc: Element;
  try {
    doc = parser.parse(text) as Element;
  } catch (err) {
    // It refuses names such as __proto__ that could pollute prototypes.
    throw new ParseError('not XML that can be read safely');
  }
  // Processing instructions (<?xml ...?>) sit beside the document element; text must not.
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (roots.includes('#text')) throw new ParseError('text outside the document element');
  const found = roots.flatMap((name) => (doc[name] as unknown[]).map(() => name));
  if (found.length !== 1) throw new ParseError(found.length === 0 ? 'no document element' : 'more than one document element');
  if (found[0] !== expected) throw new ParseError(`the document element is not <${expected}>`);
  return elements(doc, expected)[0]!;
}

function ports(el: Element): FirewalldPort[] {
  return elements(el, 'port').map((c) => {
    const port = attr(c, 'port');
    const protocol = attr(c, 'protocol');
    // port="" with a protocol is how services such as ipsec open a whole protocol (ah, esp).
    if (port === undefined || !protocol) throw new ParseError('<port> needs port= and protocol=');
    return { port, protocol };
  });
}

const ACTIONS = ['accept', 'reject', 'drop'] as const;
/** Rich-rule elements that narrow what it applies to (besides source and family). */
const MATCHES = ['port', 'service', 'protocol', 'icmp-block', 'icmp-type', 'source-port', 'forward-port', 'masquerade', 'destination', 'tcp-mss-clamp'];

function richRule(el: Element): FirewalldRichRule {
  const src = elements(el, 'source')[0];
  const action = ACTIONS.find((a) => elements(el, a).length > 0) ?? 'other';
  const services = elements(el, 'service').map((c) => attr(c, 'name') ?? '');
  const rule: FirewalldRichRule = {
    family: attr(el, 'family'),
    source: src && (attr(src, 'address') ?? attr(src, 'ipset') ?? attr(src, 'mac')),
    sourceInvert: !!src && (attr(src, 'invert') === 'True' || attr(src, 'invert') === 'true'),
    ports: ports(el),
    services,
    action,
    anyTraffic: MATCHES.every((m) => elements(el, m).length === 0),
    text: '',
  };
  const parts = [
    rule.family ? `family="${rule.family}"` : '',
    rule.source ? `source ${rule.sourceInvert ? 'NOT ' : ''}address="${rule.source}"` : '',
    ...rule.ports.map((p) => `port port="${p.port}" protocol="${p.protocol}"`),
    ...services.map((s) => `service name="${s}"`),
    action,
  ];
  rule.text = `rule ${parts.filter(Boolean).join(' ')}`;
  return rule;
}

export function parseFirewalldZone(text: string): FirewalldZone {
  const zone = documentElement(text, 'zone');
  const names = (tag: string, key: string) => elements(zone, tag).map((c) => attr(c, key) ?? '').filter(Boolean);
  return {
    target: attr(zone, 'target') ?? 'default',
    services: names('service', 'name'),
    ports: ports(zone),
    sources: names('source', 'address'),
    interfaces: names('interface', 'name'),
    rules: elements(zone, 'rule').map(richRule),
  };
}

/** The ports a service definition opens. */
export function parseFirewalldService(text: string): FirewalldPort[] {
  return ports(documentElement(text, 'service'));
}
