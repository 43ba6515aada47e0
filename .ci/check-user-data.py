"""Parses the launch templates' user data from the offline plan with cloud-init's own code.

Usage: check-user-data.py PLAN.json OUT_DIR. Every launch template's user data must be MIME that
cloud-init's UserDataProcessor (what runs at boot) accepts, at most 16384 bytes raw, made only of
shell-script parts whose file names are sorted (cloud-init runs them in file-name order). The parts
are written to OUT_DIR/<template>/ for the syntax checks that follow.
"""
import base64
import json
import os
import sys
import tempfile

from cloudinit import helpers, user_data

EXPECTED = ["00-host-env.sh", "05-host-lib.sh", "10-ecs-agent.sh", "20-host-storage.sh", "30-host-tools.sh",
            "40-storage-growth.sh", "50-scratch-cleanup.sh", "90-release-ecs.sh"]


def main(plan_path, out_dir):
    plan = json.load(open(plan_path))
    templates = [r for r in plan["resources"] if r["type"] == "aws:ec2/launchTemplate:LaunchTemplate"]
    if not templates:
        sys.exit(f"{plan_path}: no launch template")
    for template in templates:
        raw = base64.b64decode(template["inputs"]["userData"])
        if len(raw) > 16384:
            sys.exit(f"{template['name']}: user data is {len(raw)} bytes raw; EC2 allows 16384")
        with tempfile.TemporaryDirectory() as cloud:
            paths = helpers.Paths({"cloud_dir": cloud, "run_dir": os.path.join(cloud, "run")})
            message = user_data.UserDataProcessor(paths).process(raw)
        parts = [p for p in message.walk() if not p.is_multipart()]
        names = [p.get_filename() for p in parts]
        if names != EXPECTED:
            sys.exit(f"{template['name']}: cloud-init sees parts {names}, expected {EXPECTED}")
        target = os.path.join(out_dir, template["name"])
        os.makedirs(target, exist_ok=True)
        for part in parts:
            if part.get_content_type() != "text/x-shellscript":
                sys.exit(f"{template['name']}: {part.get_filename()} is {part.get_content_type()}")
            payload = part.get_payload(decode=True)
            if not payload.startswith(b"#!/bin/bash\n"):
                sys.exit(f"{template['name']}: {part.get_filename()} does not start with #!/bin/bash")
            with open(os.path.join(target, part.get_filename()), "wb") as f:
                f.write(payload)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
