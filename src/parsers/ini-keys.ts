// KEY=VALUE configuration files such as /etc/waagent.conf and /etc/selinux/config.

export interface KeyValue {
  value: string;
  line: number;
}

/** Last assignment of each key wins, as in the agents that read these files. Comments start with #. */
export function parseKeyValueFile(text: string): Map<string, KeyValue> {
  const out = new Map<string, KeyValue>();
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    const eq = t.indexOf('=');
    if (eq <= 0) return;
    const key = t.slice(0, eq).trim();
    let value = t.slice(eq + 1).trim();
    const hash = value.indexOf(' #');
    if (hash >= 0) value = value.slice(0, hash).trim();
    value = value.replace(/^"(.*)"$/, '$1');
    out.set(key, { value, line: i + 1 });
  });
  return out;
}
