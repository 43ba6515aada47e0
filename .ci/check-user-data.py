"""Parses the launch templates' user data from the offline plan with cloud-init's own code.

Usage: check-user-data.py PLAN.json OUT_DIR. Every launch template's user data must be MIME that
cloud-init's UserDataProcessor (what runs at boot) accepts, within this program's budget once AWS
Batch's part (1 KB, see BatchPart.java) is merged in, made of one shell-script part that unpacks the
host scripts. The part is unpacked as a host does (its own command: base64 -d | gzip -dc, or for hosts
with a shared file system python3, which base85-decodes and gunzips the bundle; piped to bash, with
this machine's tools) into OUT_DIR/<template>/ for the checks
that follow.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

from cloudinit import helpers, user_data

BUDGET = 12288
BATCH_PART = 1024
EXPECTED = ["lib.sh", "00-host-env.sh", "10-ecs-agent.sh", "20-host-storage.sh", "30-host-tools.sh",
            "40-storage-growth.sh", "50-scratch-cleanup.sh", "90-release-ecs.sh"]
# Only in the user data of a stack with a shared file system.
SHARED_FILE_SYSTEM_PART = "60-shared-fs.sh"


def main(plan_path, out_dir):
    plan = json.load(open(plan_path))
    templates = [r for r in plan["resources"] if r["type"] == "aws:ec2/launchTemplate:LaunchTemplate"]
    if not templates:
        sys.exit(f"{plan_path}: no launch template")
    for template in templates:
        name = template["name"]
        raw = base64.b64decode(template["inputs"]["userData"])
        if len(raw) + BATCH_PART > BUDGET:
            sys.exit(f"{name}: user data is {len(raw)} bytes raw; with Batch's part over the {BUDGET}-byte budget")
        with tempfile.TemporaryDirectory() as cloud:
            paths = helpers.Paths({"cloud_dir": cloud, "run_dir": os.path.join(cloud, "run")})
            message = user_data.UserDataProcessor(paths).process(raw)
        parts = [p for p in message.walk() if not p.is_multipart()]
        if [p.get_content_type() for p in parts] != ["text/x-shellscript"]:
            sys.exit(f"{name}: cloud-init sees parts {[p.get_content_type() for p in parts]}, expected one shell script")
        script = parts[0].get_payload(decode=True).decode("ascii")
        if not script.startswith("#!/bin/bash\n"):
            sys.exit(f"{name}: the part does not start with #!/bin/bash")
        target = os.path.join(out_dir, name)
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, "user-data.sh"), "w") as f:
            f.write(script)
        # The part's own unpacking command (the line holding the here-document), without its exec of lib.sh.
        line = next(l for l in script.split("\n") if "<<'GB_BUNDLE'" in l)
        start = script.index("mkdir -p")
        command = script[start:script.index(line) + line.index(" <<'GB_BUNDLE'")]
        command = command[command.index("python3 -c") if "python3 -c" in command else command.index("base64 -d"):]
        # What the line pipes the here-document's output through before bash (base64's: gzip -dc).
        after = line[line.index("<<'GB_BUNDLE'") + len("<<'GB_BUNDLE'"):]
        command += " " + after[:after.index("| bash")].strip()
        body = script[script.index("\n", script.index("<<'GB_BUNDLE'")) + 1:script.index("\nGB_BUNDLE\n")]
        subprocess.run(["bash", "-c", "set -o pipefail; " + command + " | bash"], input=body.encode(),
                       cwd=target, check=True)
        unpacked = sorted(f for f in os.listdir(target) if f != "user-data.sh")
        expected = EXPECTED + [SHARED_FILE_SYSTEM_PART] if SHARED_FILE_SYSTEM_PART in unpacked else EXPECTED
        if unpacked != sorted(expected):
            sys.exit(f"{name}: unpacks {unpacked}, expected {expected}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
