#!/usr/bin/env python3
"""Runs shared/testdata/evm/benchmarks on anvil (revm) through eth_call and compares with tally_bench.

For each benchmark and call-data index: the `pre` accounts go in as an eth_call state override, the
call is repeated, and the median wall time minus the median time of a call to a contract that only
STOPs (the JSON-RPC round trip) is anvil's execution time. tally_bench's BM_Evm wall time per
iteration (a whole apply_tx) is ours. Ratio = anvil time / tally time: above 1.0, tally is faster.
Gas per second uses the gas tally_bench measured (the same code uses the same gas on both).
Benchmarks whose anvil execution is shorter than one round trip are not measurable this way and
are left out of the geometric mean (printed as n/a). Run it on an idle machine.
"""
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))
DATA = os.environ.get("TALLY_TESTDATA", os.path.join(REPO, "..", "shared", "testdata"))
BENCH_DIR = os.path.join(DATA, "evm", "benchmarks", "benchmarks")
BENCH_BIN = os.environ.get("TALLY_BENCH", os.path.join(REPO, "build", "release", "test", "tally_bench"))
URL = sys.argv[1]
REPEATS = int(os.environ.get("ANVIL_REPEATS", "15"))


def rpc(method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(URL, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        reply = json.load(response)
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def timed_call(call, overrides):
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        rpc("eth_call", [call, "latest", overrides])
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def overrides_of(pre):
    out = {}
    for address, account in pre.items():
        entry = {"balance": account["balance"], "nonce": hex(int(account["nonce"], 16)),
                 "code": account["code"]}
        if account.get("storage"):
            entry["stateDiff"] = {("0x%064x" % int(k, 16)): ("0x%064x" % int(v, 16))
                                  for k, v in account["storage"].items()}
        out[address] = entry
    return out


def tally_times():
    output = subprocess.run([BENCH_BIN, "--benchmark_filter=BM_Evm/", "--benchmark_format=json",
                             "--benchmark_min_time=0.3"], check=True, capture_output=True,
                            text=True).stdout
    report = json.loads(output[output.index("{"):output.rindex("}") + 1])
    times = {}
    for bench in report["benchmarks"]:
        scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9}[bench["time_unit"]]
        seconds = bench["real_time"] * scale
        gas = bench["gas_per_s"] * bench["cpu_time"] * scale
        times[bench["name"]] = (seconds, gas)
    return times


def main():
    ours = tally_times()
    stop = "0x00000000000000000000000000000000000000ee"
    baseline = timed_call({"to": stop, "gas": hex(1_000_000_000)}, {stop: {"code": "0x00"}})
    print(f"eth_call round trip (STOP): {baseline * 1e3:.3f} ms, subtracted from each anvil time")
    print(f"{'benchmark':45} {'tally ms':>10} {'anvil ms':>10} {'tally Mgas/s':>13} "
          f"{'anvil Mgas/s':>13} {'ratio':>7}")
    ratios = []
    for group in ("main", "micro"):
        for file in sorted(os.listdir(os.path.join(BENCH_DIR, group))):
            with open(os.path.join(BENCH_DIR, group, file)) as handle:
                document = json.load(handle)
            for name, test in document.items():
                tx = test["transaction"]
                overrides = overrides_of(test["pre"])
                for index, data in enumerate(tx["data"]):
                    key = f"BM_Evm/{group}/{name}" + (f"/{index}" if len(tx["data"]) > 1 else "")
                    if key not in ours:
                        continue
                    call = {"from": tx["sender"], "to": tx["to"], "data": data,
                            "gas": hex(1_000_000_000)}
                    anvil = timed_call(call, overrides) - baseline
                    tally, gas = ours[key]
                    if anvil < baseline:
                        # Execution shorter than the round trip's own jitter: not measurable.
                        print(f"{key:45} {tally * 1e3:10.3f} {'<rtt':>10} "
                              f"{gas / tally / 1e6:13.1f} {'n/a':>13} {'n/a':>7}")
                        continue
                    ratio = anvil / tally
                    ratios.append(ratio)
                    print(f"{key:45} {tally * 1e3:10.3f} {anvil * 1e3:10.3f} "
                          f"{gas / tally / 1e6:13.1f} {gas / anvil / 1e6:13.1f} {ratio:7.2f}")
    mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"geometric mean ratio (anvil time / tally time) over {len(ratios)}: {mean:.2f}")


if __name__ == "__main__":
    main()
