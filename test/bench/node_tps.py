#!/usr/bin/env python3
"""Node throughput: finalised TPS and submission-to-finality latency of a 4-validator tallyd
cluster on this machine, against anvil (one node, no consensus) on the same transfers.

1. `tally init` a 4-validator consortium (standard suite, K demo accounts) in a temporary folder,
   start the four tallyd and wait until each answers eth_blockNumber.
2. Pre-sign N value transfers with the chain's own code (tally_sign_transfers): transfer i is sent
   by account i % K with nonce i // K. Each sender's txs all go to one node (account k to node
   k % 4), so every node receives its senders' nonces in order.
3. Peak run: one thread per node submits its share as fast as the node takes it, as JSON-RPC
   batches of eth_sendRawTransaction over one keep-alive HTTP connection; a poller follows
   validator-1's eth_blockNumber and reads each new block's tx hashes (eth_getBlockByNumber). A
   tx's latency is from the moment its batch was sent to the poll that saw it in a final block
   (QBFT blocks are final when written); TPS is the txs finalised over the time from the first
   submission to the last finalisation.
4. Paced run at half the peak TPS (fresh transfers, the next nonces) for the latency goal.
5. anvil (pinned in anvil/, `npm ci` by node_tps.sh) with the same chain id and the senders funded
   by anvil_setBalance: the peak run's very bytes are sent in the same batches over one
   connection, and its TPS measured the same way. anvil mines a block every 0.2 s with
   everything pending (ANVIL_BLOCK_S says why not its automine).
Prints both TPS figures and their ratio; exits non-zero when a transfer is refused or does not
finalise in time. Run it on an idle machine: both the cluster and the client share its cores.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))
VALIDATORS = 4
CHAIN_ID = 4242
BATCH = 100  # tallyd's default rpc.limits.max_batch
POLL_S = 0.01
PACE_TICK_S = 0.05
# anvil mines every ANVIL_BLOCK_S whatever it holds (the gas limit lifted so one block takes it
# all). Not its default automine: under this load anvil 1.7.1's automine left txs it had accepted
# unmined for good (2 to 63 of 4,000 here) and stalled when several connections sent at once.
ANVIL_BLOCK_S = 0.2
ANVIL_GAS_LIMIT = 1_000_000_000
# Pool answers that mean "later", not "never" (tx_rejection.hpp): the submitter waits and resends.
RETRY_ERRORS = ("txpool is full", "account limit exceeded", "nonce too far ahead")


class Rpc:
    """JSON-RPC over one keep-alive HTTP/1.1 connection."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.next_id = 1

    def batch(self, calls):
        body = []
        for method, params in calls:
            body.append({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
            self.next_id += 1
        replies = self._post(body)
        by_id = {reply["id"]: reply for reply in replies}
        return [by_id[request["id"]] for request in body]

    def call(self, method, params):
        reply = self._post({"jsonrpc": "2.0", "id": 0, "method": method, "params": params})
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def _post(self, body):
        data = json.dumps(body).encode()
        for attempt in range(2):
            try:
                self.connection.request("POST", "/", data, {"Content-Type": "application/json"})
                response = self.connection.getresponse()
                payload = response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}: {payload[:200]!r}")
                return json.loads(payload)
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def free_port_run(count):
    """A first port P such that P .. P+count-1 are free on loopback now."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count >= 65535:
            continue
        try:
            sockets = []
            for port in range(first, first + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no run of free ports")


def wait_ready(port, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return int(Rpc(port).call("eth_blockNumber", []), 16)
        except (OSError, RuntimeError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing answers on port {port}")
            time.sleep(0.1)


def sign(args, accounts_json, first, count):
    program = os.path.join(args.build, "test", "tally_sign_transfers")
    output = subprocess.run([program, accounts_json, str(CHAIN_ID), str(first), str(count)],
                            check=True, capture_output=True, text=True).stdout
    return [tuple(line.split(" ")) for line in output.splitlines()]


class Finality:
    """Follows a node's final blocks and stamps each awaited tx hash when first seen."""

    def __init__(self, port, start_block):
        self.rpc = Rpc(port)
        self.next_block = start_block + 1
        self.seen = {}
        self.awaited = set()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.blocks = []  # (block number, tx count, seen at)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def await_hashes(self, hashes):
        with self.lock:
            self.awaited.update(hashes)

    def _run(self):
        while not self.stop.is_set():
            head = int(self.rpc.call("eth_blockNumber", []), 16)
            while self.next_block <= head:
                last = min(head, self.next_block + BATCH - 1)
                calls = [("eth_getBlockByNumber", [hex(n), False])
                         for n in range(self.next_block, last + 1)]
                replies = self.rpc.batch(calls)
                now = time.monotonic()
                for number, reply in zip(range(self.next_block, last + 1), replies):
                    hashes = reply["result"]["transactions"]
                    self.blocks.append((number, len(hashes), now))
                    with self.lock:
                        for tx_hash in hashes:
                            self.seen.setdefault(tx_hash.lower(), now)
                self.next_block = last + 1
            time.sleep(POLL_S)

    def wait_all(self, hashes, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if all(h in self.seen for h in hashes):
                    return True
            time.sleep(POLL_S)
        return False

    def close(self):
        self.stop.set()
        self.thread.join()


def submit(port, txs, sent_at, errors, pace=None):
    """Sends `txs` ((hash, raw) in nonce order per sender) in batches; records each batch's send
    time. With `pace` (txs per second), holds each batch until its time."""
    rpc = Rpc(port)
    start = time.monotonic()
    position = 0
    # Paced: a batch per PACE_TICK_S, so the load arrives evenly rather than in bursts.
    batch = min(BATCH, max(1, int(pace * PACE_TICK_S))) if pace else BATCH
    while position < len(txs):
        chunk = txs[position:position + batch]
        if pace:
            due = start + position / pace
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        now = time.monotonic()
        replies = rpc.batch([("eth_sendRawTransaction", [raw]) for _, raw in chunk])
        retry_from = None
        for index, ((tx_hash, _), reply) in enumerate(zip(chunk, replies)):
            if "error" in reply:
                message = reply["error"].get("message", "")
                if any(text in message for text in RETRY_ERRORS) and retry_from is None:
                    retry_from = index
                elif retry_from is None and "already known" not in message:
                    errors.append(f"{tx_hash}: {message}")
            if retry_from is None:
                sent_at.setdefault(tx_hash, now)
        if retry_from is not None:
            position += retry_from
            time.sleep(0.02)
        else:
            position += len(chunk)


def cpu_seconds(pids):
    """User + system CPU time the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15
    return total / os.sysconf("SC_CLK_TCK")


def run_load(name, ports, poll_port, txs, senders, pace, timeout_s, pids):
    """Submits `txs` across `ports` (sender k to ports[k % len]); returns the figures, with the
    CPU time `pids` used per tx: on a shared machine, steadier than TPS."""
    start_block = wait_ready(poll_port, 10)
    cpu_before = cpu_seconds(pids)
    finality = Finality(poll_port, start_block)
    shares = [[] for _ in ports]
    for index, tx in enumerate(txs):
        shares[(index % senders) % len(ports)].append(tx)
    sent_at, errors = {}, []
    finality.await_hashes(tx_hash for tx_hash, _ in txs)
    per_thread_pace = pace / len(ports) if pace else None
    threads = [threading.Thread(target=submit, args=(port, share, sent_at, errors, per_thread_pace))
               for port, share in zip(ports, shares) if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    submitted_s = time.monotonic()
    hashes = [tx_hash for tx_hash, _ in txs]
    complete = not errors and finality.wait_all(hashes, timeout_s)
    finality.close()
    cpu = cpu_seconds(pids) - cpu_before
    final = {h: finality.seen[h] for h in hashes if h in finality.seen and h in sent_at}
    result = {"name": name, "txs": len(txs), "final": len(final), "errors": errors[:5],
              "complete": complete, "cpu_ms_per_tx": 1e3 * cpu / len(txs)}
    if final:
        first = min(sent_at.values())
        last = max(final.values())
        latencies = sorted(final[h] - sent_at[h] for h in final)
        result.update({
            "tps": len(final) / (last - first) if last > first else float("inf"),
            "submit_tps": len(sent_at) / (submitted_s - first) if submitted_s > first else 0.0,
            "seconds": last - first,
            "p50_ms": 1e3 * latencies[len(latencies) // 2],
            "p99_ms": 1e3 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "max_ms": 1e3 * latencies[-1],
            "blocks": sum(1 for _, count, _ in finality.blocks if count),
            "max_block_txs": max((count for _, count, _ in finality.blocks), default=0),
        })
    return result


def show(result):
    if "tps" not in result:
        print(f"{result['name']}: nothing final; errors {result['errors']}")
        return
    print(f"{result['name']:>22}: {result['final']}/{result['txs']} final in "
          f"{result['seconds']:.2f} s: {result['tps']:8.0f} TPS (submitted at "
          f"{result['submit_tps']:.0f}/s), latency p50 {result['p50_ms']:.0f} ms p99 "
          f"{result['p99_ms']:.0f} ms max {result['max_ms']:.0f} ms, {result['blocks']} blocks "
          f"(largest {result['max_block_txs']} txs), {result['cpu_ms_per_tx']:.3f} CPU ms/tx")
    for error in result["errors"]:
        print(f"    error: {error}")


def start_cluster(args, folder):
    p2p = free_port_run(VALIDATORS)
    rpc = free_port_run(VALIDATORS)
    tally = os.path.join(args.build, "packaging", "tally")
    command = [tally, "init", "--out", folder, "--institutions", str(VALIDATORS), "--accounts",
               str(args.accounts), "--chain-id", str(CHAIN_ID), "--base-port", str(p2p),
               "--rpc-base-port", str(rpc)]
    if args.block_period_ms:
        command += ["--block-period-ms", str(args.block_period_ms)]
    if args.gas_limit:
        command += ["--gas-limit", str(args.gas_limit)]
    subprocess.run(command, check=True, capture_output=True)
    processes = []
    for i in range(1, VALIDATORS + 1):
        node = os.path.join(folder, "nodes", f"validator-{i}")
        config_path = os.path.join(node, "node.json")
        with open(config_path) as handle:
            config = json.load(handle)
        if args.durability:
            config["durability"] = args.durability
        with open(config_path, "w") as handle:
            json.dump(config, handle)
        log = open(os.path.join(node, "tallyd.log"), "w")
        processes.append(subprocess.Popen(
            [os.path.join(args.build, "packaging", "tallyd"), "--config", config_path],
            stdout=log, stderr=subprocess.STDOUT))
    ports = [rpc + i for i in range(VALIDATORS)]
    for port in ports:
        wait_ready(port, 30)
    return processes, ports


def stop_all(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_anvil(args, folder, txs):
    anvil = os.path.join(ROOT, "anvil", "node_modules", ".bin", "anvil")
    port = free_port_run(1)
    log = open(os.path.join(folder, "anvil.log"), "w")
    process = subprocess.Popen([anvil, "--port", str(port), "--chain-id", str(CHAIN_ID),
                                "--block-base-fee-per-gas", "0", "--accounts", "0",
                                "--block-time", str(ANVIL_BLOCK_S), "--gas-limit",
                                str(ANVIL_GAS_LIMIT), "--silent"], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(port, 30)
        with open(os.path.join(folder, "accounts.json")) as handle:
            accounts = json.load(handle)["accounts"]
        rpc = Rpc(port)
        for start in range(0, len(accounts), BATCH):
            replies = rpc.batch([("anvil_setBalance", [a["address"], hex(int(a["balance"]))])
                                 for a in accounts[start:start + BATCH]])
            failed = [r["error"] for r in replies if "error" in r]
            if failed:
                raise RuntimeError(f"anvil_setBalance: {failed[0]}")
        return run_load("anvil peak", [port], port, txs, args.accounts, None, args.timeout,
                        [process.pid])
    finally:
        stop_all([process])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transfers", type=int, default=20000, help="N for the peak runs")
    parser.add_argument("--accounts", type=int, default=1000, help="K senders (tally init)")
    parser.add_argument("--paced-seconds", type=float, default=10.0,
                        help="length of the run at half the peak TPS (0: skip it)")
    parser.add_argument("--block-period-ms", type=int, default=0,
                        help="tally init --block-period-ms (default: tally init's)")
    parser.add_argument("--gas-limit", type=int, default=0,
                        help="tally init --gas-limit (default: tally init's)")
    parser.add_argument("--durability", choices=["full", "normal"], default=None,
                        help="the nodes' ledger durability (default: tally init's)")
    parser.add_argument("--no-anvil", action="store_true", help="skip the anvil run")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds for the last transfer to finalise")
    parser.add_argument("--build", default=os.path.join(REPO, "build", "release"))
    parser.add_argument("--keep", action="store_true", help="keep the cluster's folder and logs")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="tally-node-tps-")
    results = []
    processes = []
    try:
        processes, ports = start_cluster(args, folder)
        accounts_json = os.path.join(folder, "accounts.json")
        txs = sign(args, accounts_json, 0, args.transfers)
        pids = [process.pid for process in processes]
        peak = run_load("tallyd peak", ports, ports[0], txs, args.accounts, None, args.timeout,
                        pids)
        show(peak)
        results.append(peak)
        if args.paced_seconds > 0 and peak.get("tps"):
            pace = peak["tps"] / 2
            count = max(BATCH, int(pace * args.paced_seconds))
            paced_txs = sign(args, accounts_json, args.transfers, count)
            paced = run_load("tallyd half peak", ports, ports[0], paced_txs, args.accounts, pace,
                             args.timeout, pids)
            paced["pace_tps"] = pace
            show(paced)
            results.append(paced)
        stop_all(processes)
        processes = []
        if not args.no_anvil:
            anvil = run_anvil(args, folder, txs)
            show(anvil)
            results.append(anvil)
            if anvil.get("tps") and peak.get("tps"):
                print(f"{'ratio':>22}: tallyd peak TPS / anvil TPS = "
                      f"{peak['tps'] / anvil['tps']:.2f} (goal 3)")
    finally:
        stop_all(processes)
        if args.keep:
            print(f"cluster folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)
    return 0 if all(r["complete"] and r["final"] == r["txs"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
