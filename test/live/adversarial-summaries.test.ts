// Reports that task users can write (a shared directory every node's start task writes into, as
// the Shipyard recipe's `shared/batch-preflight/report.json`), summarised as root for a CI job
// summary or a pull-request comment, which render Markdown as HTML, and for a terminal. The
// attacker, a real second user in the sandbox, edits a real report of the agent's; it wins when
// its text becomes HTML or a code span it can close, or when a bidirectional override reaches the
// terminal.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const NEEDS = { commands: { useradd: 'passwd', runuser: 'util-linux' } };

// The attacker's edit: a check id that tries to close its code span and open a tag, a message
// with HTML, a link and a right-to-left override.
const EDIT = String.raw`
const fs = require("fs");
const r = JSON.parse(fs.readFileSync("/shared/reports/node-1.json", "utf8"));
const c = r.checks.find((c) => c.status === "fail" || c.status === "error") ?? r.checks[0];
c.status = "fail";
c.id = "x` + "`" + String.raw`<script>alert(1)</script>";
c.message = "<details open><summary>all nodes ready</summary></details> [fix](https://evil.example) \u202Eyduts\u202C";
fs.writeFileSync("/shared/reports/node-1.json", JSON.stringify(r));
`;

describeLive('fleet summaries of reports a task user wrote', NEEDS, () => {
  it('Markdown keeps report text as text; the terminal rendering shows bidi overrides as escapes', () => {
    const r = runScenario({
      setup: `
useradd -m attacker
mkdir -p /shared/reports && chmod 1777 /shared/reports
node $BUNDLE --format json > /tmp/report.json || true
install -o attacker -m 644 /tmp/report.json /shared/reports/node-1.json
runuser -u attacker -- node -e '${EDIT.replace(/'/g, `'"'"'`)}'
grep -q evil.example /shared/reports/node-1.json
`,
      run: `
node $BUNDLE summarize /shared/reports --format markdown > /tmp/summary.md; echo "md rc=$?"
node $BUNDLE summarize /shared/reports --format human > /tmp/summary.txt; echo "human rc=$?"
echo ---md; cat /tmp/summary.md; echo ---human; cat /tmp/summary.txt
`,
    });
    expect(r.stdout).toMatch(/^md rc=1$/m);
    const md = r.stdout.slice(r.stdout.indexOf('---md'), r.stdout.indexOf('---human'));
    const human = r.stdout.slice(r.stdout.indexOf('---human'));
    expect(md).toContain('evil.example');
    // Outside code spans no < is left; inside one (where HTML is not read) the fence is longer than
    // the id's backtick, so the span holds the whole id.
    expect(md.replace(/``x`<script>alert\(1\)<\/script>``/g, '')).not.toContain('<');
    expect(md).toContain('| ``x`<script>alert(1)</script>`` |');
    expect(md).toContain('&lt;details open&gt;');
    expect(md).toContain('\\[fix\\](https://evil.example)');
    for (const text of [md, human]) expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(human).toContain('\\u202eyduts\\u202c');
  });
});
