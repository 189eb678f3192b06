// A consortium of tallyd processes for the test: `tally init` into a temporary folder on free
// loopback ports, one `tallyd --config` per node with its log in the folder, readiness by
// eth_blockNumber, and SIGTERM with the exit codes collected.
'use strict';
const {spawn, execFile} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const {promisify} = require('node:util');

const kBuildDir = path.resolve(__dirname, '../../build/release/packaging');
const kTally = process.env.TALLY_CLI || path.join(kBuildDir, 'tally');
const kTallyd = process.env.TALLYD || path.join(kBuildDir, 'tallyd');
const kReadyMs = 30_000;
const kStopMs = 20_000;

function bindable(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A base port with `count` consecutive free ports (tally init numbers nodes' ports from it);
// `avoid` keeps two runs from overlapping.
async function freePortRun(count, avoid = []) {
  for (let attempt = 0; attempt < 50; ++attempt) {
    const base = await anyFreePort();
    if (base + count > 65535)
      continue;
    const ports = Array.from({length: count}, (_, i) => base + i);
    if (ports.some((p) => avoid.includes(p)))
      continue;
    const free = await Promise.all(ports.map(bindable));
    if (free.every(Boolean))
      return base;
  }
  throw new Error(`no run of ${count} free loopback ports`);
}

async function rpc(url, method, params = []) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({jsonrpc: '2.0', id: 1, method, params}),
    signal: AbortSignal.timeout(2_000),
  });
  const body = await response.json();
  if (body.error)
    throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Cluster {
  // validators + observers nodes, `accounts` funded demo accounts.
  static async start({validators = 4, observers = 1, accounts = 6} = {}) {
    for (const program of [kTally, kTallyd]) {
      if (!fs.existsSync(program))
        throw new Error(`${program} is not built (cmake --build --preset release)`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-'));
    const count = validators + observers;
    const p2pBase = await freePortRun(count);
    const p2pPorts = Array.from({length: count}, (_, i) => p2pBase + i);
    const rpcBase = await freePortRun(count, p2pPorts);
    const consortium = path.join(dir, 'consortium');
    await promisify(execFile)(kTally, [
      'init', '--out', consortium, '--institutions', String(validators), '--observers',
      String(observers), '--host', '127.0.0.1', '--base-port', String(p2pBase),
      '--rpc-base-port', String(rpcBase), '--accounts', String(accounts), '--block-period-ms', '1',
    ]);
    const names = [
      ...Array.from({length: validators}, (_, i) => `validator-${i + 1}`),
      ...Array.from({length: observers}, (_, i) => `observer-${i + 1}`),
    ];
    const cluster = new Cluster(dir, consortium);
    // tally init gives node i (validators first, then observers) RPC port rpcBase + i.
    names.forEach((name, i) => cluster.spawnNode(name, rpcBase + i));
    await cluster.waitReady();
    return cluster;
  }

  constructor(dir, consortium) {
    this.dir = dir;
    this.consortium = consortium;
    this.nodes = [];
    const accounts = JSON.parse(fs.readFileSync(path.join(consortium, 'accounts.json'), 'utf8'));
    this.chainId = accounts.chain_id;
    this.accounts = accounts.accounts;
  }

  spawnNode(name, rpcPort) {
    const config = path.join(this.consortium, 'nodes', name, 'node.json');
    const log = path.join(this.dir, `${name}.log`);
    const out = fs.openSync(log, 'w');
    const child = spawn(kTallyd, ['--config', config], {stdio: ['ignore', out, out]});
    fs.closeSync(out);
    const node = {name, url: `http://127.0.0.1:${rpcPort}`, ws: `ws://127.0.0.1:${rpcPort}`, log,
                  child, exit: null};
    node.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      node.exit = {code, signal};
      resolve(node.exit);
    }));
    this.nodes.push(node);
  }

  logTail(node, lines = 30) {
    const text = fs.readFileSync(node.log, 'utf8').trimEnd().split('\n');
    return `--- ${node.name} (${node.log}), last ${lines} lines:\n` + text.slice(-lines).join('\n');
  }

  async waitReady() {
    const deadline = Date.now() + kReadyMs;
    for (const node of this.nodes) {
      for (;;) {
        if (node.exit)
          throw new Error(`${node.name} exited ${JSON.stringify(node.exit)}\n${this.logTail(node)}`);
        try {
          await rpc(node.url, 'eth_blockNumber');
          break;
        } catch (error) {
          if (Date.now() > deadline)
            throw new Error(`${node.name} RPC not ready: ${error.message}\n${this.logTail(node)}`);
          await sleep(100);
        }
      }
    }
  }

  // SIGTERM to every node; resolves to [{name, code, signal}] once all exited (SIGKILL past the
  // limit, reported as such).
  async stop() {
    for (const node of this.nodes) {
      if (!node.exit)
        node.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      for (const node of this.nodes) {
        if (!node.exit)
          node.child.kill('SIGKILL');
      }
    }, kStopMs);
    const exits = await Promise.all(this.nodes.map((node) => node.exited));
    clearTimeout(timer);
    return exits.map((exit, i) => ({name: this.nodes[i].name, ...exit}));
  }

  // Deletes the folder unless the test failed (TALLY_E2E_KEEP=1 keeps it always).
  cleanup(failed) {
    for (const node of this.nodes) {
      if (!node.exit)
        node.child.kill('SIGKILL');
    }
    if (failed || process.env.TALLY_E2E_KEEP === '1')
      console.error(`tally e2e: consortium and logs kept in ${this.dir}`);
    else
      fs.rmSync(this.dir, {recursive: true, force: true});
  }
}

module.exports = {Cluster, rpc, sleep};
