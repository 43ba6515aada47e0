"""Writes the dated catalogs the config checks read: EC2 instance families and AWS regions.

Usage: python3 .ci/catalog/generate.py [--date YYYY-MM-DD] [--out DIR]

The program reads only the committed files (src/main/resources/io/genomicsbatch/config/); this
script refreshes them from what a Python with moto and botocore carries offline:

- moto's ec2/resources/instance_types.json.gz: EC2 DescribeInstanceTypes as moto's maintainers
  recorded it in every commercial region they cover (architectures, GPUs, every size);
- botocore's ec2 service model: the InstanceType enum, every name the EC2 API knows. Names the
  recording lacks are listed apart (AWS hides older types from newer accounts, like the one moto's
  maintainers recorded with, and some are retired or Local Zones only); the checks accept them all,
  and read the architecture and GPU of a family the recording lacks from its name;
- botocore's endpoints.json: every region of every partition, and where AWS Batch has an endpoint.

--date is the catalog's date, shown in every message that relies on it; it defaults to today (UTC).
"""
import argparse
import datetime
import gzip
import json
import os
import re
import sys
from collections import defaultdict

import botocore
import moto

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "src", "main", "resources", "io", "genomicsbatch", "config")
# Sizes in the order EC2 lists them: named sizes by capacity, then NxN numbers, then metal.
NAMED = ["nano", "micro", "small", "medium", "large", "xlarge"]


def size_key(size):
    if size in NAMED:
        return (0, NAMED.index(size), "")
    m = re.fullmatch(r"([0-9]+)xlarge", size)
    if m:
        return (1, int(m.group(1)), "")
    m = re.fullmatch(r"metal(?:-([0-9]+)xl)?", size)
    if m:
        return (2, int(m.group(1) or 0), "")
    return (3, 0, size)


def load_json(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def first_existing(*paths):
    for p in paths:
        if os.path.exists(p):
            return p
    sys.exit("none of these exist: " + ", ".join(paths))


def instance_families():
    moto_dir = os.path.dirname(moto.__file__)
    described = load_json(first_existing(os.path.join(moto_dir, "ec2", "resources", "instance_types.json.gz"),
                                         os.path.join(moto_dir, "ec2", "resources", "instance_types.json")))
    model_dir = os.path.join(os.path.dirname(botocore.__file__), "data", "ec2")
    version = sorted(os.listdir(model_dir))[-1]
    model = load_json(first_existing(os.path.join(model_dir, version, "service-2.json.gz"),
                                     os.path.join(model_dir, version, "service-2.json")))
    api_names = set(model["shapes"]["InstanceType"]["enum"])

    families = defaultdict(lambda: {"arch": set(), "gpus": set(), "sizes": set(), "api_only": set()})
    for name, info in described.items():
        family, size = name.split(".", 1)
        f = families[family]
        f["arch"].update(info["ProcessorInfo"]["SupportedArchitectures"])
        for gpu in info.get("GpuInfo", {}).get("Gpus", []):
            f["gpus"].add(gpu["Manufacturer"] + " " + gpu["Name"])
        f["sizes"].add(size)
    for name in api_names - set(described):
        family, size = name.split(".", 1)
        families[family]["api_only"].add(size)
    for family, f in families.items():
        if len(f["gpus"]) > 1:
            sys.exit(f"{family}: more than one GPU model {f['gpus']}: the catalog has one per family")
    return families, f"moto {moto.__version__} ec2/resources/instance_types.json.gz (EC2 DescribeInstanceTypes)" \
                     f" and botocore {botocore.__version__} ec2 {version} service model (InstanceType enum)"


def regions():
    endpoints = load_json(os.path.join(os.path.dirname(botocore.__file__), "data", "endpoints.json"))
    rows = []
    for partition in endpoints["partitions"]:
        batch = partition["services"].get("batch", {}).get("endpoints", {})
        for region, info in partition["regions"].items():
            rows.append((region, partition["partition"], "yes" if region in batch else "no",
                         info.get("description", "")))
    return sorted(rows), f"botocore {botocore.__version__} data/endpoints.json"


def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {os.path.relpath(path)} ({sum(1 for l in lines if not l.startswith('#'))} rows)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    datetime.date.fromisoformat(args.date)
    os.makedirs(args.out, exist_ok=True)

    families, source = instance_families()
    lines = [
        "# EC2 instance families: generated by .ci/catalog/generate.py; do not edit by hand.",
        f"# date: {args.date}",
        f"# source: {source}",
        "# architectures: as DescribeInstanceTypes reports them; gpu: manufacturer and model, or -;",
        "# sizes: those the recording describes; api-only sizes: names the EC2 API knows that the recording",
        "# lacks (AWS hides older types from newer accounts; some are retired or Local Zones only). The checks",
        "# accept both; a family with no recorded sizes has its architecture and GPU read from its name. - for none.",
        "family\tarchitectures\tgpu\tsizes\tapi-only sizes",
    ]
    for family in sorted(families):
        f = families[family]
        lines.append("\t".join([
            family,
            ",".join(sorted(f["arch"])) or "-",
            next(iter(f["gpus"]), "-"),
            ",".join(sorted(f["sizes"], key=size_key)) or "-",
            ",".join(sorted(f["api_only"], key=size_key)) or "-",
        ]))
    write(os.path.join(args.out, "ec2-instance-types.tsv"), lines)

    rows, source = regions()
    lines = [
        "# AWS regions of every partition: generated by .ci/catalog/generate.py; do not edit by hand.",
        f"# date: {args.date}",
        f"# source: {source}",
        "# batch: whether AWS Batch has an endpoint in the region.",
        "region\tpartition\tbatch\tdescription",
    ] + ["\t".join(r) for r in rows]
    write(os.path.join(args.out, "aws-regions.tsv"), lines)


if __name__ == "__main__":
    main()
