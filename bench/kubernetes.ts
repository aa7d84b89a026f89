/*
 * The Kubernetes driver's round trips and wall time against the Kubernetes
 * test server (packages/testkit), through the real @kubernetes/client-node:
 * ensureNamespace (every guardrail) and apply of a ten-object service, each
 * cold, warm, and warm after a restart (no cached discovery).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/kubernetes.ts [--runs=N]
 *
 * Targets (issue 3): at most 12 round trips for a cold namespace, and no
 * writing request on a warm re-run. See bench/README.md.
 */
import { ConfigReader } from '@backstage/config';
import { silentLogger as logger } from './silentLogger';
import { DefaultKubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';

const runs = Number(
  process.argv.find(a => a.startsWith('--runs='))?.split('=')[1] ?? 20,
);
const COLD_NAMESPACE_TARGET = 12;

interface Sample {
  requests: number;
  writes: number;
  discovery: number;
  ms: number;
}

interface Row {
  name: string;
  samples: Sample[];
  target?: { what: string; ok: (s: Sample) => boolean };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function measure(
  server: KubernetesTestServer,
  fn: () => Promise<unknown>,
): Promise<Sample> {
  server.resetRequests();
  const start = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    requests: server.requests.length,
    writes: server.requests.filter(r => r.write).length,
    discovery: server.requests.filter(r => r.verb === 'discovery').length,
    ms,
  };
}

async function main() {
  const server = await startKubernetesTestServer();
  const config = new ConfigReader(server.appConfig({ clusterName: 'bench' }));
  const fresh = () =>
    DefaultKubernetesProvisioner.fromConfig(config, { logger });
  const target = (i: number) => ({
    component: `svc${i}`,
    environment: 'dev',
    owner: 'group:default/team-bench',
  });
  const manifests = sampleServiceManifests({ name: 'web' });

  // The first call to a cluster loads @kubernetes/client-node; timed apart.
  const loadStart = process.hrtime.bigint();
  await fresh().ensureNamespace(target(-1));
  const firstUseMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

  const rows: Row[] = [
    {
      name: 'ensureNamespace cold (new namespace, fresh provisioner)',
      samples: [],
      target: {
        what: `<= ${COLD_NAMESPACE_TARGET} round trips`,
        ok: s => s.requests <= COLD_NAMESPACE_TARGET,
      },
    },
    {
      name: 'ensureNamespace warm (same provisioner)',
      samples: [],
      target: { what: '0 writes', ok: s => s.writes === 0 },
    },
    {
      name: 'ensureNamespace warm after restart (fresh provisioner)',
      samples: [],
      target: { what: '0 writes', ok: s => s.writes === 0 },
    },
    {
      name: 'apply 10 objects cold (new namespace, fresh provisioner)',
      samples: [],
    },
    {
      name: 'apply 10 objects warm (same provisioner)',
      samples: [],
      target: { what: '0 writes', ok: s => s.writes === 0 },
    },
    {
      name: 'apply 10 objects warm after restart (fresh provisioner)',
      samples: [],
      target: { what: '0 writes', ok: s => s.writes === 0 },
    },
    {
      // What each paved:kubernetes:* step of a retried task reads before it trusts its checkpoint.
      name: 'getNamespace (a replayed step of a retried task)',
      samples: [],
      target: {
        what: '1 round trip, 0 writes',
        ok: s => s.requests === 1 && s.writes === 0,
      },
    },
  ];
  const [
    nsCold,
    nsWarm,
    nsRestart,
    applyCold,
    applyWarm,
    applyRestart,
    replay,
  ] = rows;

  for (let i = 0; i < runs; i++) {
    const t = target(i);
    const provisioner = fresh();
    nsCold.samples.push(
      await measure(server, () => provisioner.ensureNamespace(t)),
    );
    nsWarm.samples.push(
      await measure(server, () => provisioner.ensureNamespace(t)),
    );
    nsRestart.samples.push(
      await measure(server, () => fresh().ensureNamespace(t)),
    );

    // apply into a namespace provisioned by another process, so its discovery is cold too.
    const applier = fresh();
    applyCold.samples.push(
      await measure(server, () => applier.apply({ ...t, manifests })),
    );
    applyWarm.samples.push(
      await measure(server, () => applier.apply({ ...t, manifests })),
    );
    applyRestart.samples.push(
      await measure(server, () => fresh().apply({ ...t, manifests })),
    );
    replay.samples.push(await measure(server, () => applier.getNamespace(t)));
  }
  await server.close();

  const head = [
    'operation',
    'round trips',
    'writes',
    'discovery',
    'median ms',
    'p95 ms',
    'target',
  ];
  const lines = rows.map(row => {
    const s = row.samples;
    const same = (k: keyof Sample) => {
      const values = [...new Set(s.map(x => x[k]))];
      return values.length === 1
        ? String(values[0])
        : `${Math.min(...(values as number[]))}-${Math.max(
            ...(values as number[]),
          )}`;
    };
    const target = row.target
      ? `${row.target.what}: ${s.every(row.target.ok) ? 'PASS' : 'FAIL'}`
      : '';
    return [
      row.name,
      same('requests'),
      same('writes'),
      same('discovery'),
      percentile(
        s.map(x => x.ms),
        0.5,
      ).toFixed(1),
      percentile(
        s.map(x => x.ms),
        0.95,
      ).toFixed(1),
      target,
    ];
  });
  const widths = head.map((h, i) =>
    Math.max(h.length, ...lines.map(l => l[i].length)),
  );
  const print = (cells: string[]) =>
    console.log(
      `| ${cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join(' | ')} |`,
    );
  console.log(
    `Kubernetes driver against the test server (${runs} runs each, Node ${process.version})`,
  );
  print(head);
  print(widths.map(w => '-'.repeat(w)));
  lines.forEach(print);
  console.log(
    `first call to a cluster (loads @kubernetes/client-node, then a cold ensureNamespace): ${firstUseMs.toFixed(
      0,
    )} ms`,
  );
  const failed = rows.some(r => r.target && !r.samples.every(r.target.ok));
  process.exitCode = failed ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  process.exitCode = 2;
});
