"""Writes the price table the plan's cost forecast reads: src/main/resources/io/genomicsbatch/cost/prices.tsv.

Usage: python3 .ci/catalog/prices.py KARPENTER_PRICING_GO [--date YYYY-MM-DD] [--commit SHA] [--out FILE]

The program reads only the committed table (no price API at plan time, so a plan is the same on
every machine, offline). This script refreshes it from sources a machine without AWS credentials
can read:

- On-Demand Linux $/hour per instance type: Karpenter's generated table, which its maintainers
  regenerate from the AWS Price List API (pkg/providers/pricing/zz_generated.pricing_aws.go of
  github.com/aws/karpenter-provider-aws; download it at a commit and pass --commit). It covers
  us-east-1 only, so the table covers us-east-1 only; a region added here must come with a source.
- vCPUs per instance type: moto's ec2/resources/instance_types.json.gz (EC2 DescribeInstanceTypes),
  the same source as the EC2 catalog (.ci/catalog/generate.py).
- EBS gp3, CloudWatch Logs storage, KMS key and interface endpoint prices: AWS's published pricing pages for the
  region, in NON_EC2 below (edit them there, with the page they come from, when AWS changes them).

Only the families in FAMILIES are written: those the shipped stacks, fixtures and defaults use.
A family or region not in the table makes the forecast say "unknown price", never a guess.
"""
import argparse
import datetime
import gzip
import json
import os
import re
import sys

import moto

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "src", "main", "resources", "io", "genomicsbatch", "cost", "prices.tsv")
FAMILIES = ["c6i", "m6i", "r6i", "c7i", "m7i", "r7i", "g5", "g6", "g6e"]
# (region, item, usd, unit, source): prices that are not instance hours.
NON_EC2 = [
    ("us-east-1", "ebs:gp3-storage", "0.08", "GiB-month", "aws.amazon.com/ebs/pricing"),
    ("us-east-1", "ebs:gp3-iops", "0.005", "IOPS-month above 3000", "aws.amazon.com/ebs/pricing"),
    ("us-east-1", "ebs:gp3-throughput", "0.04", "MiBps-month above 125", "aws.amazon.com/ebs/pricing"),
    ("us-east-1", "logs:storage", "0.03", "GB-month", "aws.amazon.com/cloudwatch/pricing"),
    ("us-east-1", "kms:key", "1", "key-month", "aws.amazon.com/kms/pricing"),
    ("us-east-1", "cloudwatch:alarm", "0.1", "alarm-month", "aws.amazon.com/cloudwatch/pricing"),
    ("us-east-1", "cloudwatch:dashboard", "3", "dashboard-month", "aws.amazon.com/cloudwatch/pricing"),
    # $0.10 a day per action-enabled budget (the account's first two are free), 730 / 24 days a month.
    ("us-east-1", "budgets:action-enabled-budget", "3.04", "budget-month", "aws.amazon.com/aws-cost-management/aws-budgets/pricing"),
    # Interface VPC endpoints: per endpoint per Availability Zone it is in, each hour (data processed is
    # billed per GB on top, $0.01 for the first PB a month: per use, not while idle). Read 2026-12-06 from the
    # page's text and its us-east-1 figure as a 2026-06-13 summary quotes it (factualminds.com, Amazon VPC pricing).
    ("us-east-1", "privatelink:interface-endpoint", "0.01", "endpoint-AZ-hour", "aws.amazon.com/privatelink/pricing"),
    # EFS Standard storage (Elastic throughput also bills $0.03 per GB read and $0.06 per GB written: usage).
    ("us-east-1", "efs:standard-storage", "0.3", "GB-month", "aws.amazon.com/efs/pricing"),
    # FSx for Lustre SSD storage by deployment type and, for persistent ones, MB/s per TiB.
    ("us-east-1", "fsx:lustre-SCRATCH_2", "0.14", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_1-50", "0.145", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_1-100", "0.21", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_1-200", "0.29", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_2-125", "0.145", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_2-250", "0.21", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_2-500", "0.34", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
    ("us-east-1", "fsx:lustre-PERSISTENT_2-1000", "0.6", "GB-month", "aws.amazon.com/fsx/lustre/pricing"),
]
REGION_LINE = re.compile(r'^\t"([a-z0-9-]+)": \{')
PRICE = re.compile(r'"([a-z0-9-]+\.[a-z0-9-]+)": ([0-9.]+)')


def karpenter_prices(path):
    prices, region = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = REGION_LINE.match(line)
            if m:
                region = m.group(1)
                continue
            if region:
                for name, usd in PRICE.findall(line):
                    prices[(region, name)] = usd
    return prices


def vcpus():
    path = os.path.join(os.path.dirname(moto.__file__), "ec2", "resources", "instance_types.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        types = json.load(f)
    return {name: t["VCpuInfo"]["DefaultVCpus"] for name, t in types.items()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("karpenter")
    p.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    p.add_argument("--commit", default="unknown")
    p.add_argument("--out", default=OUT)
    a = p.parse_args()
    prices, cpus = karpenter_prices(a.karpenter), vcpus()
    regions = sorted({r for r, _ in prices} | {r[0] for r in NON_EC2})
    rows = []
    for (region, name), usd in sorted(prices.items()):
        if name.split(".")[0] in FAMILIES:
            if name not in cpus:
                sys.exit(f"{name}: no vCPU count in moto {moto.__version__}")
            rows.append((region, name, str(cpus[name]), usd.rstrip("0").rstrip("."), "hour", "karpenter"))
    for region, item, usd, unit, source in NON_EC2:
        rows.append((region, item, "-", usd, unit, source))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Prices the plan's cost forecast uses: generated by .ci/catalog/prices.py; do not edit by hand.\n")
        f.write(f"# date: {a.date}\n")
        f.write("# source: On-Demand Linux $/hour from the AWS Price List API as github.com/aws/karpenter-provider-aws "
                f"records it (pkg/providers/pricing/zz_generated.pricing_aws.go at {a.commit}); vCPUs from "
                f"moto {moto.__version__} (EC2 DescribeInstanceTypes); EBS, CloudWatch Logs and KMS from AWS's "
                "pricing pages (source column)\n")
        f.write(f"# regions: {' '.join(regions)}\n")
        f.write(f"# families: {' '.join(FAMILIES)}\n")
        f.write("# Rows: region, item (an instance type or service:dimension), vCPUs (instance types; - for none),\n")
        f.write("# USD per unit, unit, source. A missing row is an unknown price, never zero.\n")
        f.write("region\titem\tvcpus\tusd\tunit\tsource\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"prices.py: {len(rows)} prices for {', '.join(regions)} written to {a.out}")


if __name__ == "__main__":
    main()
