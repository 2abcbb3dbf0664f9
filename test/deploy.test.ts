/**
 * Deployment and monitoring assets: they parse, they say what the docs say (non-root, read-only, no capabilities,
 * probes), and every metric they query is one the gateway exports. promtool and docker run when installed.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { createMetrics } from '../server/metrics.js';
import { loadGatewayConfig } from '../server/config.js';
import type { ScanPool } from '../engine/pool/pool.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
/** The variables the manifests set, for loading their configs. */
function withDeployEnv(f: () => void): void {
  const vars: Record<string, string> = {
    KINDLY_CLIENT_ID: 'my-app', KINDLY_CLIENT_SECRET_HASH: `$2b$12$${'a'.repeat(53)}`, KINDLY_SIGNING_KEY_PATH: '/etc/kindly-guard/secrets/signing.pem',
    KINDLY_REDIS_PASSWORD: 'pw', KINDLY_ISSUER: 'https://kindly-guard.example.com',
  };
  Object.assign(process.env, vars);
  try { f(); } finally { for (const k of Object.keys(vars)) delete process.env[k]; }
}
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Every metric family the gateway exports (a histogram also answers to _bucket, _sum, _count). */
async function exported(): Promise<Set<string>> {
  const pool = { pending: 0, utilization: 0, threads: 1 } as unknown as ScanPool;
  const names = new Set<string>();
  for (const m of await createMetrics(pool).registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}
const metricsIn = (text: string) => [...new Set(text.match(/kindlyguard_[a-z_]+/g) ?? [])];

describe('monitoring assets', () => {
  it('alert rules: the documented ones, well-formed, on exported metrics (promtool when installed)', async () => {
    const doc = parse(read('deploy/prometheus/alerts.yml'));
    const rules = doc.groups[0].rules as Array<Record<string, any>>;
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['HighThreatRate', 'AuthenticationFailures', 'RateLimitBreaches']));
    for (const r of rules) { expect(r.expr).toBeTruthy(); expect(r.labels.severity).toBeTruthy(); expect(r.annotations.summary).toBeTruthy(); }
    const names = await exported();
    for (const m of metricsIn(read('deploy/prometheus/alerts.yml'))) expect(names.has(m), m).toBe(true);
    if (has('promtool')) execFileSync('promtool', ['check', 'rules', join(ROOT, 'deploy/prometheus/alerts.yml')]);
    else console.log('promtool is not installed: alert rules checked by parsing only');
  });

  it('Grafana dashboard: the five documented panels, on exported metrics', async () => {
    const dash = JSON.parse(read('deploy/grafana/kindly-guard.json'));
    expect(dash.panels.map((p: { title: string }) => p.title)).toEqual(['Threat overview', 'Authentication', 'Rate limits', 'Scanner latency p50 / p95 / p99', 'Error rates']);
    const names = await exported();
    for (const m of metricsIn(read('deploy/grafana/kindly-guard.json'))) expect(names.has(m), m).toBe(true);
  });
});

describe('deployment manifests', () => {
  it('Kubernetes: non-root, read-only root, no capabilities, no privilege escalation, probes, resources', () => {
    const docs = ['deployment', 'service', 'networkpolicy', 'configmap', 'secret'].flatMap((f) => parseAllDocuments(read(`deploy/k8s/${f}.yaml`)).map((d) => d.toJS()));
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'NetworkPolicy', 'NetworkPolicy', 'ConfigMap', 'Secret']);
    const pod = docs[0].spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/health');
    expect(c.resources.limits.memory).toBeTruthy();
    // The container config is valid for the gateway, given the variables the Deployment sets.
    withDeployEnv(() => expect(loadGatewayConfig(join(ROOT, 'deploy/docker/config.yaml')).server.host).toBe('0.0.0.0'));
  });

  it('Kubernetes scale-out: several replicas on Redis state, one issuer, an autoscaler, Redis reachable only by the gateway', () => {
    const deployment = parse(read('deploy/k8s/deployment.yaml'));
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    const hpa = parse(read('deploy/k8s/hpa.yaml'));
    expect(hpa).toMatchObject({ kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', spec: { scaleTargetRef: { kind: 'Deployment', name: deployment.metadata.name } } });
    expect(hpa.spec.minReplicas).toBeGreaterThan(1);
    const [redisDeployment, redisService] = parseAllDocuments(read('deploy/k8s/redis.yaml')).map((d) => d.toJS());
    expect(redisDeployment.spec.template.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const policies = parseAllDocuments(read('deploy/k8s/networkpolicy.yaml')).map((d) => d.toJS());
    expect(policies[1].spec.podSelector.matchLabels).toEqual(redisService.spec.selector);
    // The ConfigMap's config, with the Deployment's variables: Redis state at the Service, a fixed issuer.
    const cm = parse(read('deploy/k8s/configmap.yaml'));
    const dir = mkdtempSync(join(tmpdir(), 'kg-k8s-'));
    writeFileSync(join(dir, 'config.yaml'), cm.data['config.yaml']);
    withDeployEnv(() => {
      const cfg = loadGatewayConfig(join(dir, 'config.yaml'));
      expect(cfg.state).toMatchObject({ backend: 'redis', url: `redis://:pw@${redisService.metadata.name}:6379` });
      expect(cfg.auth.issuer).toBe('https://kindly-guard.example.com');
      expect(deployment.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'KINDLY_ISSUER', value: cfg.auth.issuer }]));
    });
  });

  it('Envoy: ext_authz HTTP service with the body, fail closed, at the path kindly-guard serves; the scale-out compose wires it', () => {
    const envoy = parse(read('deploy/envoy/envoy.yaml'));
    const hcm = envoy.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
    const authz = hcm.http_filters.find((f: { name: string }) => f.name === 'envoy.filters.http.ext_authz').typed_config;
    expect(hcm.http_filters.at(-1).name).toBe('envoy.filters.http.router');
    expect(authz).toMatchObject({ failure_mode_allow: false, with_request_body: { allow_partial_message: false } });
    const cfgFile = join(ROOT, 'deploy/scale-out/config.yaml');
    withDeployEnv(() => {
      const cfg = loadGatewayConfig(cfgFile);
      expect(cfg.ext_authz.enabled).toBe(true);
      expect(authz.http_service.path_prefix).toBe(cfg.ext_authz.path_prefix);
      expect(authz.with_request_body.max_request_bytes).toBeLessThanOrEqual(cfg.server.max_body_bytes);
      expect(cfg.state.backend).toBe('redis');
    });
    const forwarded = authz.http_service.authorization_request.allowed_headers.patterns.map((p: { exact?: string }) => p.exact);
    for (const h of ['authorization', 'content-type', 'signature', 'signature-input', 'content-digest']) expect(forwarded).toContain(h);
    const clusters = envoy.static_resources.clusters.map((c: { name: string }) => c.name);
    expect(clusters).toContain(authz.http_service.server_uri.cluster);
    const compose = parse(read('deploy/scale-out/docker-compose.yml'));
    expect(compose.services['kindly-guard'].deploy.replicas).toBeGreaterThan(1);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['redis', 'envoy', 'app']));
    expect(compose.services['kindly-guard'].environment.KINDLY_REDIS_PASSWORD_FILE).toMatch(/^\/run\/secrets\//);
    expect(compose.networks.back.internal).toBe(true);
  });

  it('Compose: read-only, tmpfs, no capabilities, no-new-privileges, a seccomp profile that exists, limits, file secrets, an internal network', () => {
    const compose = parse(read('deploy/docker-compose.yml'));
    const kg = compose.services['kindly-guard'];
    expect(kg).toMatchObject({ user: '10001:10001', read_only: true, cap_drop: ['ALL'] });
    expect(kg.tmpfs[0]).toMatch(/^\/tmp/);
    expect(kg.security_opt).toContain('no-new-privileges:true');
    const seccomp = kg.security_opt.find((o: string) => o.startsWith('seccomp='))!.slice('seccomp='.length);
    const profile = JSON.parse(readFileSync(join(ROOT, 'deploy', seccomp), 'utf8'));
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    for (const sc of ['epoll_wait', 'futex', 'mmap', 'clone3', 'io_uring_setup', 'getrandom']) expect(profile.syscalls[0].names).toContain(sc);
    expect(kg.deploy.resources.limits.memory).toBeTruthy();
    expect(kg.environment.KINDLY_CLIENT_SECRET_HASH_FILE).toMatch(/^\/run\/secrets\//);
    expect(compose.networks.monitoring.internal).toBe(true);
  });

  it('systemd unit with the sandboxing directives, and an install script', () => {
    const unit = read('deploy/systemd/kindly-guard.service');
    for (const d of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'User=kindly-guard',
      'SystemCallFilter=@system-service', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX']) expect(unit).toContain(d);
    expect(existsSync(join(ROOT, 'deploy/systemd/install.sh'))).toBe(true);
    expect(spawnSync('sh', ['-n', join(ROOT, 'deploy/systemd/install.sh')]).status).toBe(0);
  });

  it('Dockerfile: multi-stage, user 10001, a health check with kindly-guard health (built and run when a Docker engine answers)', () => {
    const df = read('Dockerfile');
    expect(df.match(/^FROM /gm)).toHaveLength(2);
    expect(df).toMatch(/^USER 10001:10001$/m);
    expect(df).toMatch(/HEALTHCHECK[\s\S]*"health"/);
    // The docker client alone is not enough: an engine must answer.
    if (!has('docker') || spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) {
      console.log('no Docker engine here: the image build and read-only run are not tested');
      return;
    }
    execFileSync('docker', ['build', '-t', 'kindly-guard:test', ROOT], { stdio: 'ignore', timeout: 600_000 });
    const who = execFileSync('docker', ['run', '--rm', '--read-only', '--tmpfs', '/tmp', '--entrypoint', 'id', 'kindly-guard:test', '-u']).toString().trim();
    expect(who).toBe('10001');
  });
});
