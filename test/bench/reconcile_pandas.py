#!/usr/bin/env python3
"""The pandas peer of test/bench/reconcile_bench.cpp (BM_Reconcile1to1Pandas runs it).

Reads the same two CSV files the engine's benchmark reads (reference,amount,value_date; amounts
in major units with two decimals, dates YYYY-MM-DD), does the same 1:1 match and writes its
breaks to a CSV file:

- candidates: left and right rows with the same reference (exact key join) whose amounts agree
  within the tolerance (minor units, inclusive) and whose value dates lie within the window
  (days, inclusive);
- a candidate pair is a match when neither row has any other candidate; a row with more than
  one candidate is ambiguous (never guessed) and stays unmatched;
- breaks: every unmatched row of each side, written as side,reference,amount_minor,value_date.

The engine's cascade (exact first, then tolerant; unique best candidate) agrees with this on the
benchmark's data, whose references are unique per side; the counts are compared by the benchmark,
which fails loudly when they differ.

Amounts are compared in integer minor units (read as doubles, rounded exactly: see read_side).

Prints one line of JSON: seconds (wall, from the start of reading to the breaks written),
cpu_seconds (the process's CPU time, every thread, over the same span), matches, left_breaks,
right_breaks, peak_rss_mb (this process's ru_maxrss).
"""

import argparse
import json
import resource
import sys
import time

import pandas as pd


def read_side(path):
    frame = pd.read_csv(path, dtype={"reference": str, "amount": "float64", "value_date": str},
                        engine="c")
    # The usual pandas way, read as a double, made exact by rounding to minor units: a two-decimal
    # amount below 2^53 / 100 is within 0.5 of its minor units, so the integer is the file's.
    frame["amount_minor"] = (frame["amount"] * 100).round().astype("int64")
    frame["day"] = pd.to_datetime(frame["value_date"], format="%Y-%m-%d").values.astype(
        "datetime64[D]").astype("int64")
    frame["row"] = range(len(frame))
    return frame[["row", "reference", "amount_minor", "day", "value_date"]]


def match(left, right, tolerance_minor, window_days):
    pairs = left.merge(right, on="reference", suffixes=("_l", "_r"))
    pairs = pairs[((pairs["amount_minor_l"] - pairs["amount_minor_r"]).abs() <= tolerance_minor)
                  & ((pairs["day_l"] - pairs["day_r"]).abs() <= window_days)]
    per_left = pairs.groupby("row_l")["row_r"].transform("size")
    per_right = pairs.groupby("row_r")["row_l"].transform("size")
    return pairs[(per_left == 1) & (per_right == 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--left", required=True)
    parser.add_argument("--right", required=True)
    parser.add_argument("--breaks", required=True, help="where to write the breaks (CSV)")
    parser.add_argument("--tolerance-minor", type=int, default=100)
    parser.add_argument("--window-days", type=int, default=2)
    args = parser.parse_args()

    start = time.monotonic()
    start_cpu = time.process_time()
    left = read_side(args.left)
    right = read_side(args.right)
    matched = match(left, right, args.tolerance_minor, args.window_days)
    left_breaks = left[~left["row"].isin(matched["row_l"])]
    right_breaks = right[~right["row"].isin(matched["row_r"])]
    columns = ["side", "reference", "amount_minor", "value_date"]
    pd.concat([left_breaks.assign(side="left"), right_breaks.assign(side="right")])[columns].to_csv(
        args.breaks, index=False)
    seconds = time.monotonic() - start
    cpu_seconds = time.process_time() - start_cpu

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    json.dump({"seconds": seconds, "cpu_seconds": cpu_seconds, "matches": len(matched), "left_breaks": len(left_breaks),
               "right_breaks": len(right_breaks), "peak_rss_mb": peak_rss_mb}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
