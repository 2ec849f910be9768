// NVIDIA Fabric Manager on an NVSwitch size, in start-task mode, with the real kernel's /proc and the
// real systemctl enabling the unit: the daemon is a copy of sleep named nv-fabricmanager, which the
// kernel records in /proc/<pid>/comm cut to 15 characters ("nv-fabricmanage", TASK_COMM_LEN 16).
// Package name and unit: Azure/azhpc-images install_nvidia_fabric_manager.sh, NVIDIA's Fabric
// Manager guide ("Fabric Manager Service File").
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

interface Outcome {
  id: string;
  status: string;
  message: string;
}
const fm = (json: string): Outcome => (JSON.parse(json).checks as Outcome[]).find((c) => c.id === 'nvidia.fabricmanager')!;

const AGENT = 'node $BUNDLE --mode start-task --format json --report /tmp/r.json --vm-size Standard_ND96isr_H100_v5 --only nvidia.fabricmanager';

describeLive('nvidia.fabricmanager against the real /proc and systemctl', { commands: { systemctl: 'systemd' } }, () => {
  it('fails while nv-fabricmanager is not running, passes once it runs', () => {
    const r = runScenario({
      setup: `
cp /bin/sleep /usr/bin/nv-fabricmanager
printf '[Unit]\\nDescription=NVIDIA fabric manager service\\n\\n[Service]\\nType=forking\\nExecStart=/usr/bin/nv-fabricmanager -c /usr/share/nvidia/nvswitch/fabricmanager.cfg\\n\\n[Install]\\nWantedBy=multi-user.target\\n' > /lib/systemd/system/nvidia-fabricmanager.service
systemctl enable nvidia-fabricmanager.service
echo "unit: $(systemctl is-enabled nvidia-fabricmanager.service)"
printf 'Package: nvidia-fabricmanager-550\\nStatus: install ok installed\\nArchitecture: amd64\\nVersion: 550.54.15-1\\n\\n' >> /var/lib/dpkg/status`,
      run: `
${AGENT} > /tmp/stopped.json || true
/usr/bin/nv-fabricmanager 30 &
sleep 0.2
echo "comm: $(cat /proc/$!/comm)" >&2
${AGENT} > /tmp/running.json || true
kill $!
cat /tmp/stopped.json; echo '@@@'; cat /tmp/running.json`,
    });
    expect(r.setupOutput).toContain('unit: enabled');
    expect(r.stderr).toContain('comm: nv-fabricmanage\n');
    const [stopped, running] = r.stdout.split('@@@\n').map(fm);
    expect(stopped!.status).toBe('fail');
    expect(stopped!.message).toMatch(/nvidia-fabricmanager\.service is enabled but nv-fabricmanager is not running/);
    expect(running!.status, running!.message).toBe('pass');
    expect(running!.message).toMatch(/nvidia-fabricmanager-550 550\.54\.15-1 is installed, nvidia-fabricmanager\.service is enabled, nv-fabricmanager runs \(pid \d+\); its version was not compared with the driver's \(not loaded\)$/);
  });
});
