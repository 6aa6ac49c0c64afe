import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, engine, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { rawInspect } from '../helpers/raw-inspect.js';

// What Compose's create.go sends for each key, checked in what the engine holds after `create`.
describe('service keys reach the engine (resources, cgroup, security, devices, platform)', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('fidres');
  let dir: string;

  before(() => {
    dir = projectDir({
      'profile.json': '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n',
      'compose.yaml': `
services:
  r:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    entrypoint: []
    platform: linux/amd64
    cpu_period: 100000
    cpu_quota: 50000
    cpu_rt_runtime: 950
    cpuset: "0"
    cgroup: private
    cgroup_parent: ${project}-parent
    mem_swappiness: 10
    memswap_limit: -1
    mem_limit: 64m
    oom_kill_disable: true
    oom_score_adj: 100
    device_cgroup_rules: ["c 1:3 mr"]
    blkio_config:
      device_read_bps: [{ path: /dev/null, rate: 12mb }]
      device_write_iops: [{ path: /dev/null, rate: 30 }]
    runtime: runc
    userns_mode: host
    mac_address: "02:42:ac:11:00:99"
    security_opt: ["seccomp=./profile.json", "systempaths=unconfined", "no-new-privileges:true"]
    devices: ["vendor.com/class=name", "/dev/null:/dev/xnull"]
    gpus:
      - driver: nvidia
        count: 2
        capabilities: [utility]
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              device_ids: ["0"]
              capabilities: [gpu]
    volumes:
      - type: tmpfs
        target: /t
        tmpfs: { mode: 01777 }
`,
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('create sends every key as Compose does', async () => {
    const result = await runTscompose(['-p', project, 'create'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const c = await rawInspect(`${project}-r-1`);
    const h = c['HostConfig'];
    assert.equal(h.CpuPeriod, 100000);
    assert.equal(h.CpuQuota, 50000);
    assert.equal(h.CpuRealtimeRuntime, 950);
    assert.equal(h.CpusetCpus, '0');
    assert.equal(h.CgroupnsMode, 'private');
    assert.equal(h.CgroupParent, `${project}-parent`);
    assert.equal(h.MemorySwappiness, 10);
    assert.equal(h.MemorySwap, -1);
    assert.equal(h.OomKillDisable, true);
    assert.equal(h.OomScoreAdj, 100);
    assert.deepEqual(h.DeviceCgroupRules, ['c 1:3 mr']);
    assert.deepEqual(h.BlkioDeviceReadBps, [{ Path: '/dev/null', Rate: 12 * 1024 * 1024 }]);
    assert.deepEqual(h.BlkioDeviceWriteIOps, [{ Path: '/dev/null', Rate: 30 }]);
    assert.equal(h.Runtime, 'runc');
    assert.equal(h.UsernsMode, 'host');
    assert.equal(c['Config'].MacAddress, '02:42:ac:11:00:99');
    // The profile's JSON, compacted, not its path; systempaths=unconfined is empty masked/readonly paths.
    assert.deepEqual(h.SecurityOpt, ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}', 'no-new-privileges:true']);
    assert.deepEqual(h.MaskedPaths, []);
    assert.deepEqual(h.ReadonlyPaths, []);
    assert.deepEqual(h.Devices, [{ PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'rwm' }]);
    assert.deepEqual(h.DeviceRequests, [
      { Driver: 'nvidia', Count: 0, DeviceIDs: ['0'], Capabilities: [['gpu']], Options: null },
      { Driver: 'cdi', Count: 0, DeviceIDs: ['vendor.com/class=name'], Capabilities: null, Options: null },
      { Driver: 'nvidia', Count: 2, DeviceIDs: null, Capabilities: [['utility', 'gpu']], Options: null },
    ]);
    assert.deepEqual(h.Mounts, [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { Mode: 0o1777 } }]);
    assert.equal(c['Platform'], 'linux');
  });

  it('the platform reaches the engine: a platform the image lacks is refused by the engine itself', async () => {
    const other = projectDir({ 'compose.yaml': `services:\n  p:\n    image: ${TEST_IMAGE}\n    platform: linux/s390x\n` });
    const name = uniqueProjectName('fidplat');
    try {
      const result = await runTscompose(['-p', name, 'create'], { cwd: other });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /does not match the specified platform|s390x/);
      assert.deepEqual(await projectContainers(name), []);
    } finally {
      await cleanupProject(name);
      removeDir(other);
    }
  });

  it('GPU requests go to the engine, which (with no GPU driver here) refuses them at start with its own message', async () => {
    const gpu = projectDir({ 'compose.yaml': `services:\n  g:\n    image: ${TEST_IMAGE}\n    command: ["true"]\n    gpus: all\n` });
    const name = uniqueProjectName('fidgpu');
    try {
      const result = await runTscompose(['-p', name, 'up', '-d'], { cwd: gpu });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /could not select device driver/);
      const c = await rawInspect(`${name}-g-1`);
      assert.deepEqual(c['HostConfig'].DeviceRequests, [{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: null }]);
    } finally {
      await cleanupProject(name);
      removeDir(gpu);
    }
  });
});

describe('keys this engine (API 1.41) cannot apply stop the run before any change', function () {
  this.timeout(120_000);

  const refused = async (yaml: string, pattern: RegExp): Promise<string> => {
    const dir = projectDir({ 'compose.yaml': yaml });
    const name = uniqueProjectName('fidold');
    try {
      const result = await runTscompose(['-p', name, 'up', '-d'], { cwd: dir });
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, pattern);
      assert.deepEqual(await projectContainers(name), []);
      assert.equal(await engine.networks.find(`${name}_default`), undefined);
      return result.stderr;
    } finally {
      await cleanupProject(name);
      removeDir(dir);
    }
  };

  it('annotations: names the key, its file:line and the engine version it needs', async () => {
    const stderr = await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\n    annotations:\n      com.example.x: "1"\n`,
      /services\.a\.annotations needs Docker Engine 24\.0 or later \(API 1\.43\); this engine speaks API 1\.41/);
    assert.match(stderr, /compose\.yaml:4:/);
  });

  it('interface_name, gw_priority and volume subpath likewise', async () => {
    await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\n    networks:\n      default:\n        interface_name: eth7\n`,
      /interface_name needs Docker Engine 28\.1/);
    await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\n    networks:\n      default:\n        gw_priority: 5\n`,
      /gw_priority needs Docker Engine 28\.0/);
    await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\n    volumes:\n      - type: volume\n        source: v\n        target: /v\n        volume: { subpath: sub }\nvolumes:\n  v: {}\n`,
      /volume\.subpath needs Docker Engine 26\.0/);
  });

  it('secrets that cannot be provided: external (no swarm) and an unset environment source', async () => {
    await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\n    secrets: [s]\nsecrets:\n  s:\n    external: true\n`,
      /secret "s" is external: only a Swarm provides external secrets/);
    await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\n    secrets: [s]\nsecrets:\n  s:\n    environment: TSCT_SURELY_UNSET_VARIABLE\n`,
      /environment variable TSCT_SURELY_UNSET_VARIABLE, the source of secret "s", is not set/);
  });

  it('provider services and top-level models are refused', async () => {
    await refused(`services:\n  p:\n    provider:\n      type: model\n`, /run by a provider/);
    await refused(`services:\n  a:\n    image: ${TEST_IMAGE}\nmodels:\n  m:\n    model: ai/smollm2\n`, /models are not supported/);
  });
});

describe('secret and config files copied in keep their octal mode and owner', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('fidmode');
  let dir: string;

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  s:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    secrets:
      - source: token
        mode: 0440
        uid: "1000"
        gid: "1001"
    configs:
      - source: conf
        target: /etc/app.conf
        mode: "0600"
secrets:
  token:
    environment: TSCT_TOKEN
configs:
  conf:
    content: hello
`,
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('mode 0440 is r--r----- (not 440 decimal), owned by the given uid/gid; "0600" is rw-------', async () => {
    const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: { TSCT_TOKEN: 's3cret' } });
    assert.equal(up.code, 0, up.stderr);
    const stat = await runTscompose(['-p', project, 'exec', '-T', 's', 'stat', '-c', '%a %u %g', '/run/secrets/token', '/etc/app.conf'],
      { cwd: dir, env: { TSCT_TOKEN: 's3cret' } });
    assert.equal(stat.code, 0, stat.stderr);
    assert.deepEqual(stat.stdout.trim().split('\n'), ['440 1000 1001', '600 0 0']);
  });
});
