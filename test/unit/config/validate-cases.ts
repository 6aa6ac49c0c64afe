/** Compose files the schema must accept: every key family, in short and long form. */
export const validCases: readonly { readonly name: string; readonly yaml: string }[] = [
  { name: 'minimal service', yaml: 'services:\n  web:\n    image: nginx\n' },
  { name: 'obsolete version, name, extensions', yaml: 'version: "3.8"\nname: shop\nx-common: &c {a: 1}\nservices:\n  web:\n    image: nginx\n    x-note: hi\n' },
  { name: 'version as a number', yaml: 'version: 3.8\nservices: {}\n' },
  { name: 'include short', yaml: 'include:\n  - ../db/compose.yaml\n' },
  { name: 'include long', yaml: 'include:\n  - path: [a.yaml, b.yaml]\n    project_directory: ..\n    env_file: ../.env\n' },
  { name: 'build short', yaml: 'services:\n  web:\n    build: ./app\n' },
  {
    name: 'build long',
    yaml: `services:
  web:
    build:
      context: ./app
      dockerfile: Dockerfile.dev
      args: {NODE_ENV: production, BUILD_NO: 1}
      ssh: [default]
      labels: ["a=b"]
      cache_from: [type=local,src=/tmp]
      cache_to: [type=inline]
      no_cache: "true"
      additional_contexts: {base: "docker-image://alpine"}
      network: host
      target: prod
      shm_size: 2g
      extra_hosts: ["somehost=162.242.195.82"]
      secrets: [npm_token, {source: gh, target: gh_token}]
      tags: ["me/app:1"]
      ulimits: {nofile: {soft: 1024, hard: 2048}}
      platforms: [linux/amd64, linux/arm64]
      privileged: true
      pull: true
      provenance: mode=max
      sbom: true
      entitlements: [network.host]
      isolation: default
      dockerfile_inline: "FROM alpine"
`,
  },
  { name: 'command and entrypoint, string and list', yaml: 'services:\n  a:\n    command: echo hi\n    entrypoint: [/bin/sh, -c]\n  b:\n    command: ["sleep", "1"]\n    entrypoint: /entry.sh\n  c:\n    command: null\n' },
  { name: 'environment as a map', yaml: 'services:\n  web:\n    environment:\n      A: "1"\n      B: 2\n      C: true\n      D:\n' },
  { name: 'environment as a list', yaml: 'services:\n  web:\n    environment:\n      - A=1\n      - B\n' },
  { name: 'env_file string, list and long', yaml: 'services:\n  a:\n    env_file: .env\n  b:\n    env_file: [a.env, {path: b.env, required: false, format: raw}]\n' },
  { name: 'ports short forms', yaml: 'services:\n  web:\n    ports:\n      - 80\n      - "8080:80"\n      - "127.0.0.1:8081:80/udp"\n      - "8000-8010:8000-8010"\n      - "[::1]:9090:90"\n      - "127.0.0.1::5000"\n      - "3000"\n' },
  {
    name: 'ports long form',
    yaml: 'services:\n  web:\n    ports:\n      - target: 80\n        published: "8080"\n        host_ip: 0.0.0.0\n        protocol: tcp\n        mode: host\n        app_protocol: http\n        name: web\n      - {target: 443, published: 8443-8444}\n',
  },
  { name: 'expose', yaml: 'services:\n  web:\n    expose: ["3000", 8080, "53/udp", "9000-9010"]\n' },
  { name: 'volumes short', yaml: 'services:\n  web:\n    volumes:\n      - data:/data\n      - ./src:/app/src:ro,z\n      - /var/run/docker.sock:/var/run/docker.sock\n      - /cache\nvolumes:\n  data:\n' },
  {
    name: 'volumes long',
    yaml: `services:
  web:
    volumes:
      - type: bind
        source: ./static
        target: /opt/static
        read_only: true
        bind: {propagation: rshared, create_host_path: true, selinux: z, recursive: readonly}
      - type: volume
        source: data
        target: /data
        volume: {nocopy: true, subpath: sub, labels: {a: b}}
      - type: tmpfs
        target: /tmp
        tmpfs: {size: 64m, mode: 1777}
      - type: image
        source: alpine
        target: /img
        image: {subpath: etc}
      - {type: npipe, source: '\\\\.\\pipe\\docker_engine', target: '\\\\.\\pipe\\docker_engine', consistency: cached}
`,
  },
  { name: 'depends_on short', yaml: 'services:\n  web:\n    depends_on: [db, cache]\n  db: {image: postgres}\n  cache: {image: redis}\n' },
  {
    name: 'depends_on long',
    yaml: 'services:\n  web:\n    depends_on:\n      db:\n        condition: service_healthy\n        restart: true\n      migrate:\n        condition: service_completed_successfully\n        required: false\n',
  },
  {
    name: 'healthcheck',
    yaml: 'services:\n  web:\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n      interval: 1m30s\n      timeout: 10s\n      retries: 3\n      start_period: 40s\n      start_interval: 5s\n  other:\n    healthcheck:\n      test: curl -f http://localhost || exit 1\n  none:\n    healthcheck:\n      disable: true\n',
  },
  { name: 'networks short', yaml: 'services:\n  web:\n    networks: [front, back]\nnetworks:\n  front:\n  back: {}\n' },
  {
    name: 'networks long',
    yaml: 'services:\n  web:\n    networks:\n      front:\n        aliases: [www]\n        ipv4_address: 172.16.238.10\n        ipv6_address: "2001:3984:3989::10"\n        link_local_ips: [57.123.22.11]\n        mac_address: 02:42:ac:11:65:43\n        driver_opts: {com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"}\n        priority: 1000\n        gw_priority: 1\n        interface_name: eth1\n      back:\n',
  },
  {
    name: 'top-level networks',
    yaml: 'networks:\n  front:\n    driver: bridge\n    driver_opts: {com.docker.network.bridge.name: br0, mtu: 1400}\n    attachable: true\n    enable_ipv4: true\n    enable_ipv6: "true"\n    internal: false\n    labels: [a=b]\n    name: my-front\n    ipam:\n      driver: default\n      config:\n        - subnet: 172.28.0.0/16\n          ip_range: 172.28.5.0/24\n          gateway: 172.28.5.254\n          aux_addresses: {host1: 172.28.1.5}\n      options: {foo: bar}\n  outside:\n    external: true\n',
  },
  { name: 'top-level volumes', yaml: 'volumes:\n  data:\n    driver: local\n    driver_opts: {type: nfs, o: "addr=10.40.0.199,nolock,soft,rw"}\n    labels: {backup: daily}\n    name: my-data\n  old:\n    external: {name: legacy}\n  empty:\n' },
  {
    name: 'configs and secrets',
    yaml: 'services:\n  web:\n    configs: [app_config, {source: other, target: /etc/other, uid: "103", gid: 103, mode: 0440}]\n    secrets: [token]\nconfigs:\n  app_config: {file: ./app.conf}\n  other: {content: "debug=true"}\n  envcfg: {environment: CFG}\n  ext: {external: true, name: shared}\nsecrets:\n  token: {file: ./token.txt}\n  env_token: {environment: TOKEN}\n  remote: {external: true}\n',
  },
  {
    name: 'deploy',
    yaml: `services:
  web:
    deploy:
      mode: replicated
      replicas: 2
      endpoint_mode: vip
      labels: {com.example.description: web}
      resources:
        limits: {cpus: "0.50", memory: 50M, pids: 1}
        reservations:
          cpus: 0.25
          memory: 20M
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
            - capabilities: [gpu]
              device_ids: ["0", "3"]
          generic_resources:
            - discrete_resource_spec: {kind: gpu, value: 2}
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 120s}
      placement:
        constraints: [node.role==manager]
        preferences: [{spread: node.labels.zone}]
        max_replicas_per_node: 1
      update_config: {parallelism: 2, delay: 10s, failure_action: rollback, monitor: 60s, max_failure_ratio: 0.3, order: start-first}
      rollback_config: {parallelism: 0, order: stop-first}
`,
  },
  { name: 'deploy empty', yaml: 'services:\n  web:\n    deploy:\n' },
  {
    name: 'develop watch',
    yaml: 'services:\n  web:\n    develop:\n      watch:\n        - action: sync\n          path: ./web\n          target: /src/web\n          ignore: [node_modules/]\n        - action: rebuild\n          path: package.json\n        - action: sync+exec\n          path: ./src\n          target: /src\n          exec: {command: [kill, -HUP, "1"]}\n',
  },
  {
    name: 'lifecycle hooks',
    yaml: 'services:\n  web:\n    post_start:\n      - command: ./init.sh\n        user: root\n        privileged: true\n        environment: [A=1]\n    pre_stop:\n      - command: [./drain.sh]\n        working_dir: /app\n    pre_start:\n      - command: chown -R 1000 /data\n',
  },
  { name: 'logging', yaml: 'services:\n  web:\n    logging:\n      driver: json-file\n      options: {max-size: 200k, max-file: 10, tag: null}\n' },
  { name: 'ulimits', yaml: 'services:\n  web:\n    ulimits:\n      nproc: 65535\n      nofile: {soft: 20000, hard: 40000}\n      core: "0"\n' },
  {
    name: 'blkio_config',
    yaml: 'services:\n  web:\n    blkio_config:\n      weight: 300\n      weight_device: [{path: /dev/sda, weight: 400}]\n      device_read_bps: [{path: /dev/sdb, rate: 12mb}]\n      device_read_iops: [{path: /dev/sdb, rate: 120}]\n      device_write_bps: [{path: /dev/sdb, rate: "1024k"}]\n      device_write_iops: [{path: /dev/sdb, rate: 30}]\n',
  },
  { name: 'extends short and long', yaml: 'services:\n  base: {image: alpine}\n  a:\n    extends: base\n  b:\n    extends: {service: web, file: common.yaml}\n' },
  {
    name: 'extra_hosts list and map',
    yaml: 'services:\n  a:\n    extra_hosts: ["somehost:162.242.195.82", "otherhost=50.31.209.229", "host.docker.internal:host-gateway"]\n  b:\n    extra_hosts:\n      somehost: 162.242.195.82\n      multi: ["::1", 127.0.0.1]\n',
  },
  { name: 'labels, annotations, sysctls as lists and maps', yaml: 'services:\n  web:\n    labels: [com.example.a=1]\n    annotations: {com.example.b: "2"}\n    sysctls: {net.core.somaxconn: 1024}\n    label_file: [./app.labels]\n  other:\n    sysctls: [net.ipv4.tcp_syncookies=0]\n    labels: {a: null}\n' },
  {
    name: 'booleans as strings after interpolation',
    yaml: 'services:\n  web:\n    tty: "true"\n    stdin_open: "false"\n    init: "yes"\n    privileged: "off"\n    read_only: "False"\n    oom_kill_disable: "${NOT_INTERPOLATED}"\n',
  },
  {
    name: 'numbers as strings after interpolation',
    yaml: 'services:\n  web:\n    scale: "3"\n    cpus: "1.5"\n    cpu_shares: "512"\n    cpu_quota: 50000\n    cpu_period: "100000"\n    cpu_rt_period: 1400us\n    cpu_rt_runtime: 95000\n    cpu_count: 2\n    cpu_percent: "50"\n    mem_limit: 1g\n    mem_reservation: 512m\n    memswap_limit: -1\n    mem_swappiness: 60\n    shm_size: 64M\n    pids_limit: -1\n    oom_score_adj: -500\n',
  },
  {
    name: 'rare service keys',
    yaml: `services:
  web:
    cap_add: [ALL]
    cap_drop: [NET_ADMIN, SYS_ADMIN]
    cgroup: private
    cgroup_parent: m-executor-abcd
    container_name: my-web-container
    cpuset: "0-3"
    credential_spec: {file: my-credential-spec.json}
    device_cgroup_rules: ["c 1:3 mr"]
    devices: ["/dev/ttyUSB0:/dev/ttyUSB0", {source: /dev/sda, target: /dev/xvda, permissions: rwm}]
    dns: 8.8.8.8
    dns_opt: [use-vc]
    dns_search: [dc1.example.com]
    domainname: foo.com
    external_links: [redis_1, "project_db_1:mysql"]
    group_add: [mail, 1001]
    hostname: web
    ipc: shareable
    isolation: default
    links: ["db:database"]
    mac_address: 92:d0:c6:0a:29:33
    network_mode: host
    pid: host
    platform: linux/amd64
    profiles: [debug]
    pull_policy: every_12h
    pull_refresh_after: 24h
    restart: unless-stopped
    runtime: runc
    security_opt: [label=user:USER]
    stop_grace_period: 1m30s
    stop_signal: SIGUSR1
    storage_opt: {size: 1G}
    tmpfs: [/run, "/tmp:size=64m"]
    user: "1000:1000"
    userns_mode: host
    uts: host
    volumes_from: ["service_name:ro", "container:container_name"]
    working_dir: /app
    attach: false
    use_api_socket: true
`,
  },
  { name: 'restart forms', yaml: 'services:\n  a: {restart: "no"}\n  b: {restart: always}\n  c: {restart: on-failure}\n  d: {restart: "on-failure:5"}\n' },
  { name: 'gpus all and list', yaml: 'services:\n  a:\n    gpus: all\n  b:\n    gpus:\n      - driver: nvidia\n        count: all\n        capabilities: [gpu]\n' },
  { name: 'provider', yaml: 'services:\n  db:\n    provider:\n      type: awesomecloud\n      options:\n        type: mysql\n        size: 256\n        tags: [a, b]\n        ha: true\n' },
  {
    name: 'models top-level and per service',
    yaml: 'models:\n  llm:\n    model: ai/smollm2\n    context_size: 4096\n    runtime_flags: ["--verbose"]\n    name: small\nservices:\n  a:\n    models: [llm]\n  b:\n    models:\n      llm:\n        endpoint_var: AI_URL\n        model_var: AI_MODEL\n',
  },
  { name: 'empty sections', yaml: 'services: {}\nnetworks: {}\nvolumes: {}\nconfigs: {}\nsecrets: {}\n' },
  {
    name: 'anchors and merge keys',
    yaml: 'x-base: &base\n  image: alpine\n  restart: always\nservices:\n  a:\n    <<: *base\n    command: [echo, a]\n  b:\n    <<: *base\n',
  },
  { name: 'extension keys inside nested mappings', yaml: 'services:\n  web:\n    build: {context: ., x-cache: yes}\n    deploy: {x-swarm: true, resources: {x-r: 1}}\n    healthcheck: {test: [NONE], x-h: 1}\nnetworks:\n  n: {x-n: 1}\n' },
];

/** Compose files the schema must reject, with the exact report expected. */
export const invalidCases: readonly {
  readonly name: string;
  readonly yaml: string;
  readonly message: string;
  readonly keyPath: string | undefined;
  readonly line: number;
  readonly column: number;
}[] = [
  {
    name: 'port as a boolean',
    yaml: "services:\n  web:\n    image: nginx\n    ports:\n      - true\n",
    message: "services.web.ports[0]: expected a port like \"8080:80\" or a mapping with target, got a boolean",
    keyPath: "services.web.ports[0]",
    line: 5,
    column: 9,
  },
  {
    name: 'misspelt service key',
    yaml: "services:\n  web:\n    image: nginx\n    enviroment:\n      A: 1\n",
    message: "services.web: unknown key \"enviroment\" (did you mean \"environment\"?)",
    keyPath: "services.web.enviroment",
    line: 4,
    column: 5,
  },
  {
    name: 'misspelt top-level key',
    yaml: "servces:\n  web:\n    image: nginx\n",
    message: "unknown top-level key \"servces\" (did you mean \"services\"?)",
    keyPath: "servces",
    line: 1,
    column: 1,
  },
  {
    name: 'service at the top level',
    yaml: "web:\n  image: nginx\n",
    message: "unknown top-level key \"web\"",
    keyPath: "web",
    line: 1,
    column: 1,
  },
  {
    name: 'unknown top-level key',
    yaml: "settings:\n  debug: true\n",
    message: "unknown top-level key \"settings\"",
    keyPath: "settings",
    line: 1,
    column: 1,
  },
  {
    name: 'service given as a string',
    yaml: "services:\n  web: nginx\n",
    message: "services.web: expected a mapping of service keys (image, build, ports, ...), got a string",
    keyPath: "services.web",
    line: 2,
    column: 3,
  },
  {
    name: 'services as a list',
    yaml: "services:\n  - web\n",
    message: "services: expected a mapping, got a sequence",
    keyPath: "services",
    line: 1,
    column: 1,
  },
  {
    name: 'invalid service name',
    yaml: "services:\n  \"my web\":\n    image: nginx\n",
    message: "services: \"my web\" is not a valid service name",
    keyPath: "services.my web",
    line: 2,
    column: 3,
  },
  {
    name: 'image as a number',
    yaml: "services:\n  web:\n    image: 5\n",
    message: "services.web.image: expected a string, got a number",
    keyPath: "services.web.image",
    line: 3,
    column: 5,
  },
  {
    name: 'empty image',
    yaml: "services:\n  web:\n    image:\n",
    message: "services.web.image: expected a string, got an empty value",
    keyPath: "services.web.image",
    line: 3,
    column: 5,
  },
  {
    name: 'user as a number',
    yaml: "services:\n  web:\n    user: 1000\n",
    message: "services.web.user: expected a string, got a number",
    keyPath: "services.web.user",
    line: 3,
    column: 5,
  },
  {
    name: 'tty not a boolean',
    yaml: "services:\n  web:\n    tty: maybe\n",
    message: "services.web.tty: expected a boolean (true or false), got \"maybe\"",
    keyPath: "services.web.tty",
    line: 3,
    column: 5,
  },
  {
    name: 'init as a number',
    yaml: "services:\n  web:\n    init: 1\n",
    message: "services.web.init: expected a boolean (true or false), got a number",
    keyPath: "services.web.init",
    line: 3,
    column: 5,
  },
  {
    name: 'port string not a port',
    yaml: "services:\n  web:\n    ports: [\"http\"]\n",
    message: "services.web.ports[0]: expected a port like \"8080:80\" or a mapping with target, got \"http\"",
    keyPath: "services.web.ports[0]",
    line: 3,
    column: 13,
  },
  {
    name: 'port out of range',
    yaml: "services:\n  web:\n    ports: [70000]\n",
    message: "services.web.ports[0]: expected a port like \"8080:80\" or a mapping with target, got 70000",
    keyPath: "services.web.ports[0]",
    line: 3,
    column: 13,
  },
  {
    name: 'port mapping without target',
    yaml: "services:\n  web:\n    ports:\n      - published: 8080\n",
    message: "services.web.ports[0]: missing required key \"target\"",
    keyPath: "services.web.ports[0]",
    line: 4,
    column: 9,
  },
  {
    name: 'port mapping misspelt key',
    yaml: "services:\n  web:\n    ports:\n      - target: 80\n        publised: 8080\n",
    message: "services.web.ports[0]: unknown key \"publised\" (did you mean \"published\"?)",
    keyPath: "services.web.ports[0].publised",
    line: 5,
    column: 9,
  },
  {
    name: 'port mode enum',
    yaml: "services:\n  web:\n    ports:\n      - target: 80\n        mode: bridge\n",
    message: "services.web.ports[0].mode: expected one of \"host\" or \"ingress\", got \"bridge\"",
    keyPath: "services.web.ports[0].mode",
    line: 5,
    column: 9,
  },
  {
    name: 'duplicate ports',
    yaml: "services:\n  web:\n    ports:\n      - \"80:80\"\n      - \"443:443\"\n      - \"80:80\"\n",
    message: "services.web.ports: entries [0] and [2] are the same (\"80:80\")",
    keyPath: "services.web.ports[2]",
    line: 6,
    column: 9,
  },
  {
    name: 'build misspelt key',
    yaml: "services:\n  web:\n    build:\n      contxt: .\n",
    message: "services.web.build: unknown key \"contxt\" (did you mean \"context\"?)",
    keyPath: "services.web.build.contxt",
    line: 4,
    column: 7,
  },
  {
    name: 'build as a number',
    yaml: "services:\n  web:\n    build: 1\n",
    message: "services.web.build: expected a build context path or a mapping with context, dockerfile, ..., got a number",
    keyPath: "services.web.build",
    line: 3,
    column: 5,
  },
  {
    name: 'build args value is a mapping',
    yaml: "services:\n  web:\n    build:\n      context: .\n      args:\n        A: {b: c}\n",
    message: "services.web.build.args.A: expected a string, number, boolean or nothing, got a mapping",
    keyPath: "services.web.build.args.A",
    line: 6,
    column: 9,
  },
  {
    name: 'depends_on as a string',
    yaml: "services:\n  web:\n    depends_on: db\n",
    message: "services.web.depends_on: expected a sequence of service names, or a mapping of service names to a condition, got a string",
    keyPath: "services.web.depends_on",
    line: 3,
    column: 5,
  },
  {
    name: 'depends_on condition misspelt',
    yaml: "services:\n  web:\n    depends_on:\n      db:\n        condition: service_healty\n",
    message: "services.web.depends_on.db.condition: expected one of \"service_started\", \"service_healthy\" or \"service_completed_successfully\", got \"service_healty\" (did you mean \"service_healthy\"?)",
    keyPath: "services.web.depends_on.db.condition",
    line: 5,
    column: 9,
  },
  {
    name: 'depends_on long without condition',
    yaml: "services:\n  web:\n    depends_on:\n      db:\n        restart: true\n",
    message: "services.web.depends_on.db: missing required key \"condition\"",
    keyPath: "services.web.depends_on.db",
    line: 4,
    column: 7,
  },
  {
    name: 'depends_on list item not a string',
    yaml: "services:\n  web:\n    depends_on: [db, 5]\n",
    message: "services.web.depends_on[1]: expected a string, got a number",
    keyPath: "services.web.depends_on[1]",
    line: 3,
    column: 22,
  },
  {
    name: 'environment value is a list',
    yaml: "services:\n  web:\n    environment:\n      A: [1, 2]\n",
    message: "services.web.environment.A: expected a string, number, boolean or nothing, got a sequence",
    keyPath: "services.web.environment.A",
    line: 4,
    column: 7,
  },
  {
    name: 'environment as a string',
    yaml: "services:\n  web:\n    environment: A=1\n",
    message: "services.web.environment: expected a mapping of names to values, or a sequence of \"NAME=value\" strings, got a string",
    keyPath: "services.web.environment",
    line: 3,
    column: 5,
  },
  {
    name: 'duplicate environment entries',
    yaml: "services:\n  web:\n    environment:\n      - A=1\n      - A=1\n",
    message: "services.web.environment: entries [0] and [1] are the same (\"A=1\")",
    keyPath: "services.web.environment[1]",
    line: 5,
    column: 9,
  },
  {
    name: 'volume long without type',
    yaml: "services:\n  web:\n    volumes:\n      - source: data\n        target: /data\n",
    message: "services.web.volumes[0]: missing required key \"type\"",
    keyPath: "services.web.volumes[0]",
    line: 4,
    column: 9,
  },
  {
    name: 'volume type enum',
    yaml: "services:\n  web:\n    volumes:\n      - type: volum\n        source: data\n        target: /data\n",
    message: "services.web.volumes[0].type: expected one of \"bind\", \"volume\", \"tmpfs\", \"image\", \"npipe\" or \"cluster\", got \"volum\" (did you mean \"volume\"?)",
    keyPath: "services.web.volumes[0].type",
    line: 4,
    column: 9,
  },
  {
    name: 'bind propagation enum',
    yaml: "services:\n  web:\n    volumes:\n      - type: bind\n        source: .\n        target: /app\n        bind:\n          propagation: everywhere\n",
    message: "services.web.volumes[0].bind.propagation: expected one of \"private\", \"rprivate\", \"shared\", \"rshared\", \"slave\" or \"rslave\", got \"everywhere\"",
    keyPath: "services.web.volumes[0].bind.propagation",
    line: 8,
    column: 11,
  },
  {
    name: 'volume as a number',
    yaml: "services:\n  web:\n    volumes: [5]\n",
    message: "services.web.volumes[0]: expected a mount like \"./data:/data:ro\" or a mapping with type and target, got a number",
    keyPath: "services.web.volumes[0]",
    line: 3,
    column: 15,
  },
  {
    name: 'healthcheck interval without unit',
    yaml: "services:\n  web:\n    healthcheck:\n      test: [CMD, \"true\"]\n      interval: 30\n",
    message: "services.web.healthcheck.interval: expected a duration like \"30s\" or \"1m30s\", got a number",
    keyPath: "services.web.healthcheck.interval",
    line: 5,
    column: 7,
  },
  {
    name: 'healthcheck interval words',
    yaml: "services:\n  web:\n    healthcheck:\n      interval: 30 seconds\n",
    message: "services.web.healthcheck.interval: expected a duration like \"30s\" or \"1m30s\", got \"30 seconds\"",
    keyPath: "services.web.healthcheck.interval",
    line: 4,
    column: 7,
  },
  {
    name: 'healthcheck retries negative',
    yaml: "services:\n  web:\n    healthcheck:\n      retries: -1\n",
    message: "services.web.healthcheck.retries: expected a whole number (0 or more), got -1",
    keyPath: "services.web.healthcheck.retries",
    line: 4,
    column: 7,
  },
  {
    name: 'healthcheck test as a number',
    yaml: "services:\n  web:\n    healthcheck:\n      test: 5\n",
    message: "services.web.healthcheck.test: expected a command as a string or a sequence such as [\"CMD\", \"curl\", \"-f\", \"http://localhost\"], got a number",
    keyPath: "services.web.healthcheck.test",
    line: 4,
    column: 7,
  },
  {
    name: 'replicas at service level',
    yaml: "services:\n  web:\n    replicas: 3\n",
    message: "services.web: unknown key \"replicas\"",
    keyPath: "services.web.replicas",
    line: 3,
    column: 5,
  },
  {
    name: 'deploy replicas not a number',
    yaml: "services:\n  web:\n    deploy:\n      replicas: two\n",
    message: "services.web.deploy.replicas: expected a whole number (0 or more), got \"two\"",
    keyPath: "services.web.deploy.replicas",
    line: 4,
    column: 7,
  },
  {
    name: 'deploy resources memory not a size',
    yaml: "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          memory: lots\n",
    message: "services.web.deploy.resources.limits.memory: expected a size like \"512m\" or \"2g\", or a number of bytes, got \"lots\"",
    keyPath: "services.web.deploy.resources.limits.memory",
    line: 6,
    column: 11,
  },
  {
    name: 'deploy device without capabilities or driver',
    yaml: "services:\n  web:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - count: 1\n",
    message: "services.web.deploy.resources.reservations.devices[0]: needs one of the keys \"capabilities\" or \"driver\"",
    keyPath: "services.web.deploy.resources.reservations.devices[0]",
    line: 7,
    column: 15,
  },
  {
    name: 'restart_policy condition enum',
    yaml: "services:\n  web:\n    deploy:\n      restart_policy:\n        condition: always\n",
    message: "services.web.deploy.restart_policy.condition: expected one of \"none\", \"on-failure\" or \"any\", got \"always\"",
    keyPath: "services.web.deploy.restart_policy.condition",
    line: 5,
    column: 9,
  },
  {
    name: 'restart value',
    yaml: "services:\n  web:\n    restart: sometimes\n",
    message: "services.web.restart: expected one of \"no\", always, unless-stopped, on-failure or on-failure:<max retries>, got \"sometimes\"",
    keyPath: "services.web.restart",
    line: 3,
    column: 5,
  },
  {
    name: 'pull_policy value',
    yaml: "services:\n  web:\n    pull_policy: weekly-ish\n",
    message: "services.web.pull_policy: expected one of always, never, missing, if_not_present, build, refresh, daily, weekly or every_<duration> (such as every_12h), got \"weekly-ish\"",
    keyPath: "services.web.pull_policy",
    line: 3,
    column: 5,
  },
  {
    name: 'cgroup enum',
    yaml: "services:\n  web:\n    cgroup: shared\n",
    message: "services.web.cgroup: expected one of \"host\" or \"private\", got \"shared\"",
    keyPath: "services.web.cgroup",
    line: 3,
    column: 5,
  },
  {
    name: 'oom_score_adj out of range',
    yaml: "services:\n  web:\n    oom_score_adj: 2000\n",
    message: "services.web.oom_score_adj: expected an integer from -1000 to 1000, got 2000",
    keyPath: "services.web.oom_score_adj",
    line: 3,
    column: 5,
  },
  {
    name: 'cpus not a number',
    yaml: "services:\n  web:\n    cpus: half\n",
    message: "services.web.cpus: expected a number, got \"half\"",
    keyPath: "services.web.cpus",
    line: 3,
    column: 5,
  },
  {
    name: 'mem_limit not a size',
    yaml: "services:\n  web:\n    mem_limit: 1 gigabyte\n",
    message: "services.web.mem_limit: expected a size like \"512m\" or \"2g\", or a number of bytes, got \"1 gigabyte\"",
    keyPath: "services.web.mem_limit",
    line: 3,
    column: 5,
  },
  {
    name: 'ulimit upper case',
    yaml: "services:\n  web:\n    ulimits:\n      NOFILE: 1024\n",
    message: "services.web.ulimits: \"NOFILE\" is not a valid ulimit name",
    keyPath: "services.web.ulimits.NOFILE",
    line: 4,
    column: 7,
  },
  {
    name: 'ulimit without hard',
    yaml: "services:\n  web:\n    ulimits:\n      nofile:\n        soft: 1024\n",
    message: "services.web.ulimits.nofile: missing required key \"hard\"",
    keyPath: "services.web.ulimits.nofile",
    line: 4,
    column: 7,
  },
  {
    name: 'networks list item mapping',
    yaml: "services:\n  web:\n    networks:\n      - front: {}\n",
    message: "services.web.networks[0]: expected a string, got a mapping",
    keyPath: "services.web.networks[0]",
    line: 4,
    column: 9,
  },
  {
    name: 'service network misspelt key',
    yaml: "services:\n  web:\n    networks:\n      front:\n        alias: [www]\n",
    message: "services.web.networks.front: unknown key \"alias\" (did you mean \"aliases\"?)",
    keyPath: "services.web.networks.front.alias",
    line: 5,
    column: 9,
  },
  {
    name: 'top-level network external not a boolean',
    yaml: "networks:\n  front:\n    external: maybe\n",
    message: "networks.front.external: expected a boolean (true or false), got \"maybe\"",
    keyPath: "networks.front.external",
    line: 3,
    column: 5,
  },
  {
    name: 'top-level network misspelt key',
    yaml: "networks:\n  front:\n    drivers: overlay\n",
    message: "networks.front: unknown key \"drivers\" (did you mean \"driver\"?)",
    keyPath: "networks.front.drivers",
    line: 3,
    column: 5,
  },
  {
    name: 'top-level volume as a list',
    yaml: "volumes:\n  data: [a]\n",
    message: "volumes.data: expected a mapping of volume keys (driver, driver_opts, external, ...) or nothing, got a sequence",
    keyPath: "volumes.data",
    line: 2,
    column: 3,
  },
  {
    name: 'secret as a string',
    yaml: "secrets:\n  token: ./token.txt\n",
    message: "secrets.token: expected a mapping of secret keys (file, environment, external, ...), got a string",
    keyPath: "secrets.token",
    line: 2,
    column: 3,
  },
  {
    name: 'config unknown key',
    yaml: "configs:\n  app:\n    path: ./app.conf\n",
    message: "configs.app: unknown key \"path\"",
    keyPath: "configs.app.path",
    line: 3,
    column: 5,
  },
  {
    name: 'include entry without path',
    yaml: "include:\n  - project_directory: ..\n",
    message: "include[0]: missing required key \"path\"",
    keyPath: "include[0]",
    line: 2,
    column: 5,
  },
  {
    name: 'include not a list',
    yaml: "include: ./other.yaml\n",
    message: "include: expected a sequence, got a string",
    keyPath: "include",
    line: 1,
    column: 1,
  },
  {
    name: 'extends without service',
    yaml: "services:\n  web:\n    extends:\n      file: base.yaml\n",
    message: "services.web.extends: missing required key \"service\"",
    keyPath: "services.web.extends",
    line: 3,
    column: 5,
  },
  {
    name: 'env_file item a number',
    yaml: "services:\n  web:\n    env_file: [5]\n",
    message: "services.web.env_file[0]: expected a path or a mapping with path, got a number",
    keyPath: "services.web.env_file[0]",
    line: 3,
    column: 16,
  },
  {
    name: 'env_file long without path',
    yaml: "services:\n  web:\n    env_file:\n      - required: false\n",
    message: "services.web.env_file[0]: missing required key \"path\"",
    keyPath: "services.web.env_file[0]",
    line: 4,
    column: 9,
  },
  {
    name: 'develop watch action enum',
    yaml: "services:\n  web:\n    develop:\n      watch:\n        - path: .\n          action: reload\n",
    message: "services.web.develop.watch[0].action: expected one of \"rebuild\", \"sync\", \"restart\", \"sync+restart\" or \"sync+exec\", got \"reload\"",
    keyPath: "services.web.develop.watch[0].action",
    line: 6,
    column: 11,
  },
  {
    name: 'develop watch without action',
    yaml: "services:\n  web:\n    develop:\n      watch:\n        - path: .\n",
    message: "services.web.develop.watch[0]: missing required key \"action\"",
    keyPath: "services.web.develop.watch[0]",
    line: 5,
    column: 11,
  },
  {
    name: 'post_start without command',
    yaml: "services:\n  web:\n    post_start:\n      - user: root\n",
    message: "services.web.post_start[0]: missing required key \"command\"",
    keyPath: "services.web.post_start[0]",
    line: 4,
    column: 9,
  },
  {
    name: 'logging options value a mapping',
    yaml: "services:\n  web:\n    logging:\n      driver: json-file\n      options:\n        max-size: {a: 1}\n",
    message: "services.web.logging.options.max-size: expected a string, a number or an empty value, got a mapping",
    keyPath: "services.web.logging.options.max-size",
    line: 6,
    column: 9,
  },
  {
    name: 'gpus string',
    yaml: "services:\n  web:\n    gpus: some\n",
    message: "services.web.gpus: expected \"all\", got \"some\"",
    keyPath: "services.web.gpus",
    line: 3,
    column: 5,
  },
  {
    name: 'container_name invalid',
    yaml: "services:\n  web:\n    container_name: \"-bad name\"\n",
    message: "services.web.container_name: expected a container name (a letter or digit, then letters, digits, \"_\", \".\" or \"-\"), got \"-bad name\"",
    keyPath: "services.web.container_name",
    line: 3,
    column: 5,
  },
  {
    name: 'model without model',
    yaml: "models:\n  llm:\n    name: small\n",
    message: "models.llm: missing required key \"model\"",
    keyPath: "models.llm",
    line: 2,
    column: 3,
  },
  {
    name: 'provider without type',
    yaml: "services:\n  db:\n    provider:\n      options: {a: 1}\n",
    message: "services.db.provider: missing required key \"type\"",
    keyPath: "services.db.provider",
    line: 3,
    column: 5,
  },
  {
    name: 'command as a mapping',
    yaml: "services:\n  web:\n    command:\n      run: x\n",
    message: "services.web.command: expected a command as a string or a sequence of strings, got a mapping",
    keyPath: "services.web.command",
    line: 3,
    column: 5,
  },
  {
    name: 'top level is a list',
    yaml: "- services\n",
    message: "top level: expected a mapping of top-level keys (services, networks, volumes, ...), got a sequence",
    keyPath: undefined,
    line: 1,
    column: 1,
  },
  {
    name: 'cap_add as a string',
    yaml: "services:\n  web:\n    cap_add: NET_ADMIN\n",
    message: "services.web.cap_add: expected a sequence of strings, got a string",
    keyPath: "services.web.cap_add",
    line: 3,
    column: 5,
  },
  {
    name: 'expose invalid',
    yaml: "services:\n  web:\n    expose: [\"http\"]\n",
    message: "services.web.expose[0]: expected a port like 80, \"8000-8010\" or \"53/udp\", got \"http\"",
    keyPath: "services.web.expose[0]",
    line: 3,
    column: 14,
  },
  {
    name: 'healthcheck misspelt key in flow mapping',
    yaml: "services:\n  web:\n    healthcheck: {test: [NONE], intervall: 5s}\n",
    message: "services.web.healthcheck: unknown key \"intervall\" (did you mean \"interval\"?)",
    keyPath: "services.web.healthcheck.intervall",
    line: 3,
    column: 33,
  },
];
