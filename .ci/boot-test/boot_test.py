#!/usr/bin/env python3
"""Runs one boot-test scenario: its stand-in EC2 services, its VM under QEMU (TCG), its checks.

usage: boot_test.py --image DIR --user-data FILE --work DIR --gnupghome DIR SCENARIO
Prints one summary line (and, on failure, the console tail and the failed checks' output); exit 1
when a check failed. Scenarios: gp3, nvme, fail, watchdog (see SCENARIOS at the end).
"""
import argparse
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
import boto3  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/var/lib/genomics-batch/data"
RESULTS = []  # (name, ok, detail)
CURRENT = []  # the scenario's VM, for the report


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok), detail))
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VM:
    def __init__(self, a, name, instance_store=0, cmdline="", faults=None):
        self.a, self.name = a, name
        CURRENT.append(self)
        self.dir = os.path.join(a.work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.console = os.path.join(self.dir, "console.log")
        state = os.path.join(self.dir, "standin.json")
        self.qmp = os.path.join(self.dir, "qmp.sock")
        self.standin = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "ec2_standin.py"), "--user-data", a.user_data,
             "--mirror-dir", os.path.join(self.dir, "mirror"), "--disk-dir", self.dir, "--qmp", self.qmp,
             "--ca-cert", os.path.join(a.image, "ca.pem"), "--ca-key", os.path.join(a.image, "ca.key"),
             "--bundle-builder", os.path.join(HERE, "aws-cli-standin", "build.sh"),
             "--gnupghome", a.gnupghome, "--state", state, "--environment", a.environment],
            stdout=open(os.path.join(self.dir, "standin.log"), "w"), stderr=subprocess.STDOUT)
        for _ in range(300):
            if os.path.exists(state):
                break
            if self.standin.poll() is not None:
                raise RuntimeError("ec2_standin.py exited: " + open(os.path.join(self.dir, "standin.log")).read())
            time.sleep(0.1)
        self.state = json.load(open(state))
        self.endpoint = f"http://127.0.0.1:{self.state['http_port']}"
        cfg = boto3.session.Config(user_agent_extra="gbtest-harness")
        self.ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=self.endpoint, config=cfg)
        self.cw = boto3.client("cloudwatch", region_name="us-east-1", endpoint_url=self.endpoint, config=cfg)
        if faults:
            self.faults(**faults)
        overlay = os.path.join(self.dir, "root.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                        os.path.join(a.image, "root.img"), overlay], check=True)
        vol = self.state["data_volume"].replace("-", "")
        disks = [(vol, a.data_gib)] + [(f"AWS{i:017x}", 40) for i in range(0x1f0e1, 0x1f0e1 + instance_store)]
        args = []
        for i, (serial, gib) in enumerate(disks):
            path = os.path.join(self.dir, serial + ".raw")
            with open(path, "wb") as f:
                f.truncate(gib << 30)
            args += ["-drive", f"file={path},if=none,id=boot{i},format=raw,cache=unsafe",
                     "-device", f"nvme,serial={serial},drive=boot{i}"]
        self.ssh_port = free_port()
        fwd = lambda port, gport: f"guestfwd=tcp:10.0.2.100:{gport}-cmd:socat - TCP:127.0.0.1:{port}"  # noqa: E731
        net = ",".join(["user,id=n0,restrict=on", f"hostfwd=tcp:127.0.0.1:{self.ssh_port}-:22",
                        fwd(self.state["http_port"], 80), fwd(self.state["https_port"], 443)])
        append = (f"root=/dev/vda rw console=ttyS0 ds=nocloud-net;s=http://10.0.2.100/seed/ "
                  f"gbtest.dev.{vol}=xvdb systemd.journald.forward_to_console=1 systemd.log_color=0 apparmor=0 {cmdline}")
        self.started = time.time()
        self.qemu = subprocess.Popen(
            ["qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-m", "2048", "-smp", "1",
             "-nodefaults", "-display", "none", "-serial", f"file:{self.console}",
             "-kernel", os.path.join(a.image, "vmlinuz"), "-initrd", os.path.join(a.image, "initrd.img"),
             "-append", append, "-drive", f"file={overlay},if=virtio,format=qcow2,cache=unsafe",
             "-netdev", net, "-device", "virtio-net-pci,netdev=n0",
             "-qmp", f"unix:{self.qmp},server=on,wait=off"] + args,
            stdout=open(os.path.join(self.dir, "qemu.log"), "w"), stderr=subprocess.STDOUT)

    # --- harness side -----------------------------------------------------------------------------
    def faults(self, **kw):
        req = urllib.request.Request(self.endpoint + "/_gbtest/faults", data=json.dumps(kw).encode(), method="POST")
        urllib.request.urlopen(req).read()

    def events(self):
        return json.loads(urllib.request.urlopen(self.endpoint + "/_gbtest/events").read())

    def log(self):
        try:
            with open(self.console, "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def running(self):
        return self.qemu.poll() is None

    def wait_console(self, pattern, timeout):
        """Waits for a console line matching pattern; returns the match or None (timeout, VM off)."""
        end = time.time() + timeout
        while time.time() < end:
            m = re.search(pattern, self.log(), re.M)
            if m:
                return m
            if not self.running():
                return re.search(pattern, self.log(), re.M)
            time.sleep(2)
        return None

    def wait_exit(self, timeout):
        try:
            self.qemu.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def sh(self, script, timeout=120):
        """Runs a bash script in the guest as root; returns (exit code, output)."""
        cmd = ["ssh", "-q", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "ConnectTimeout=10", "-o", "BatchMode=yes", "-i", os.path.join(self.a.image, "id_ed25519"),
               "-p", str(self.ssh_port), "root@127.0.0.1", "bash -s"]
        try:
            p = subprocess.run(cmd, input="set -o pipefail\n" + script, capture_output=True, text=True,
                               timeout=timeout)
            return p.returncode, (p.stdout + p.stderr).strip()
        except subprocess.TimeoutExpired as e:
            return 124, f"timed out after {timeout} s: {e.stdout or ''}"

    def wait_ssh(self, timeout):
        end = time.time() + timeout
        while time.time() < end and self.running():
            if self.sh("true", timeout=20)[0] == 0:
                return True
            time.sleep(3)
        return False

    def gsh(self, name, script, timeout=120):
        """A named check: the guest script's exit status (errexit: any failing test fails the check)."""
        rc, out = self.sh("set -e\n" + script, timeout)
        return check(name, rc == 0, out)

    def parts(self):
        found = {}
        for name, secs in re.findall(r"genomics-batch: (\S+) done in (\d+) s", self.log()):
            found.setdefault(name, secs)
        return list(found.items())

    def tail(self):
        """The console's provisioning lines (cloud-init, ours, failed units), then its last lines."""
        lines = [re.sub(r"\x1b\[[0-9;]*m", "", x).rstrip() for x in self.log().splitlines()]
        lines = [x for x in lines if x.strip()]
        keep = [x for x in lines if re.search(r"genomics-batch|cloud-init|gbtest|FAILED|DEPEND", x)]
        return "\n".join(keep[-50:] + ["--- last lines:"] + lines[-10:])

    def tagged_volumes(self):
        """This environment's volumes but the root one (tagged too, as the launch template tags every
        volume; the guest's root disk is virtio, not an EBS stand-in)."""
        return [v for v in self.ec2.describe_volumes(Filters=[
            {"Name": "tag:genomics-batch-environment", "Values": [self.state["environment"]]}])["Volumes"]
            if not any(a["Device"] == "/dev/xvda" for a in v["Attachments"])]

    def metric_put(self):
        m = self.cw.list_metrics(Namespace="GenomicsBatch", MetricName="ProvisioningFailed", Dimensions=[
            {"Name": "Environment", "Value": self.state["environment"]}])["Metrics"]
        return bool(m), json.dumps(m)

    def stop(self):
        try:  # the stand-in's record (API calls, hot-plugs, faults), for the logs
            with open(os.path.join(self.dir, "events.json"), "w") as f:
                json.dump(self.events(), f, indent=1)
        except Exception:
            pass
        if self.running():
            self.qemu.kill()
            self.qemu.wait()
        self.standin.send_signal(signal.SIGTERM)
        try:
            self.standin.wait(10)
        except subprocess.TimeoutExpired:
            self.standin.kill()
        for f in os.listdir(self.dir):  # sparse disks: keep the logs only
            if f.endswith((".raw", ".qcow2")):
                os.unlink(os.path.join(self.dir, f))


# --- checks shared by scenarios ----------------------------------------------------------------------
def no_ordering_cycle(vm, name="no_ordering_cycle"):
    """systemd resolves an ordering cycle by deleting a start job, a different one from boot to boot: a
    boot with a cycle proves nothing about the order of provisioning and the ECS agent."""
    cycles = [x for x in vm.log().splitlines() if "ordering cycle" in x]
    return check(name, not cycles, "\n".join(cycles[:8]))


def provisioned(vm, timeout=480):
    """Waits for the end of provisioning: the ECS stand-in started, or a failure, or power-off."""
    m = vm.wait_console(r"gbtest: ecs\.service started|genomics-batch: provisioning failed.*", timeout)
    failed = re.search(r"genomics-batch: provisioning failed.*", vm.log())
    check("provisioning_completed", m is not None and not failed and vm.running(),
          failed.group(0) if failed else ("VM powered off" if not vm.running() else
                                          f"no ECS start within {timeout} s"))
    reported = check("parts_reported", len(vm.parts()) > 0,
                     "no 'genomics-batch: <part> done in <N> s' console line")
    if not no_ordering_cycle(vm) or not reported or failed or m is None or not vm.running():
        return False  # guest checks skipped: provisioning did not complete
    if not vm.wait_ssh(120):
        check("ssh", False, "the VM is unreachable: guest checks skipped")
        return False
    return True


def check_release(vm):
    vm.gsh("marks_done", "ls /run/genomics-batch/*.done >/dev/null && test -e /run/genomics-batch/ready")
    vm.gsh("ecs_after_ready_and_parts", r"""
f=/run/gbtest/ecs-started
test -s $f || { echo "ecs.service never started"; exit 1; }
grep -qx ready $f || { echo "ready did not exist when ecs.service started:"; cat $f; exit 1; }
started=$(head -1 $f)
for m in /run/genomics-batch/*; do
  t=$(stat -c %.9Y "$m")
  awk -v a="$t" -v b="$started" 'BEGIN { exit !(a <= b) }' || { echo "$m changed after ECS started"; exit 1; }
done
final=$(systemctl show -P ActiveEnterTimestampMonotonic cloud-final.service)
ecs=$(systemctl show -P ExecMainStartTimestampMonotonic ecs.service)
[ "$ecs" -ge "$final" ] || { echo "ecs.service ($ecs) started before cloud-final finished ($final)"; exit 1; }
systemctl is-active --quiet ecs.service""")
    vm.gsh("ecs_config_appended", r"""
c=/etc/ecs/ecs.config; cat $c
[ "$(grep -c '^ECS_CLUSTER=' $c)" = 1 ] && [ "$(grep -c '^ECS_' $c)" -ge 3 ]""")


def check_storage(vm, stripes, pv_devices):
    vm.gsh("lv_data_xfs", f"""
lvs --noheadings -o lv_name genomics-batch | grep -qw data
[ "$(findmnt -n -o FSTYPE {DATA})" = xfs ] && [ "$(readlink -f "$(findmnt -n -o SOURCE {DATA})")" = "$(readlink -f /dev/genomics-batch/data)" ]
findmnt {DATA}""")
    vm.gsh("bind_mounts", f"""
for d in docker scratch cromwell_root; do
  m=/$d; [ $d = docker ] && m=/var/lib/docker
  findmnt -n -o SOURCE "$m" | grep -q "\\[/$d\\]$" || {{ findmnt "$m"; echo "$m is not a bind mount of {DATA}/$d"; exit 1; }}
  [ "$(stat -c %d "$m")" = "$(stat -c %d {DATA})" ] || {{ echo "$m is not on the data file system"; exit 1; }}
done""")
    vm.gsh("docker_root_on_data", f"""
[ "$(docker info --format '{{{{.DockerRootDir}}}}')" = /var/lib/docker ] && [ "$(stat -c %d /var/lib/docker)" = "$(stat -c %d {DATA})" ]""")
    vm.gsh("lv_stripes", f"""
lvs --noheadings -o stripes,devices genomics-batch/data
[ "$(lvs --noheadings -o stripes genomics-batch/data | tr -d ' ' | head -1)" = {stripes} ]""")
    vm.gsh("pvs_are_expected_disks", f"""
want=$(for d in {' '.join(pv_devices)}; do readlink -f $d; done | sort | tr '\\n' ' ')
have=$(pvs --noheadings -o pv_name | tr -d ' ' | xargs -n1 readlink -f | sort | tr '\\n' ' ')
echo "PVs: $have; expected: $want"; [ "$want" = "$have" ]""")


def check_cli(vm):
    # Task images: busybox (a local image, no registry) and a glibc image without libz.
    rc, out = vm.sh(r"""
set -e
w=$(mktemp -d); mkdir -p $w/bb/bin $w/glibc/bin $w/glibc/lib64 $w/glibc/lib/x86_64-linux-gnu $w/glibc/tmp
cp /bin/busybox $w/bb/bin/; for t in sh sleep ls cat true; do ln -s busybox $w/bb/bin/$t; done
cp -r $w/bb/bin/. $w/glibc/bin/
cp -L /lib64/ld-linux-x86-64.so.2 $w/glibc/lib64/; cp -L /lib/x86_64-linux-gnu/libc.so.6 $w/glibc/lib/x86_64-linux-gnu/
tar -C $w/bb -c . | docker import - gbtest/busybox >/dev/null
tar -C $w/glibc -c . | docker import - gbtest/glibc-nolibz >/dev/null
rm -rf $w""", timeout=180)
    if not check("task_images_built", rc == 0, out):
        return
    run = "docker run --rm -v /usr/local/aws-cli:/usr/local/aws-cli:ro gbtest/glibc-nolibz"
    vm.gsh("cli_bin_in_libz_less_image", f"{run} /usr/local/aws-cli/bin/aws --version | grep '^aws-cli/2\\.'")
    vm.gsh("cli_current_in_libz_less_image", f"{run} /usr/local/aws-cli/v2/current/bin/aws --version | grep '^aws-cli/2\\.'")
    vm.gsh("cli_control_dist_needs_libz", f"""
out=$({run} /usr/local/aws-cli/v2/current/dist/aws --version 2>&1) && {{ echo "ran without libz: $out"; exit 1; }}
echo "$out"; echo "$out" | grep -q 'libz.so.1'""")
    vm.gsh("cli_on_host", "aws --version | grep -q 'genomics-batch stand-in' && /usr/local/aws-cli/bin/aws ec2 describe-volumes --region us-east-1 --query 'length(Volumes)'")


def check_scratch_cleanup(vm):
    vm.gsh("scratch_cleanup", r"""
set -e
ended=11111111-2222-4333-8444-555555555555 live=66666666-7777-4888-9999-aaaaaaaaaaaa
mkdir -p /scratch/$ended /scratch/$live /scratch/tasks
docker run --name gbtest-ended -e AWS_BATCH_JOB_ID=$ended gbtest/busybox true
docker run -d --name gbtest-live -e AWS_BATCH_JOB_ID=$live gbtest/busybox sleep 3600 >/dev/null
# Task containers share /scratch/tasks as /tmp: an old leftover of an ended task, and a running
# task whose working directory is its own (old) entry.
mkdir -p /scratch/tasks/ended-task /scratch/tasks/live-task
docker run -d --name gbtest-task -e AWS_BATCH_JOB_ID=$(cat /proc/sys/kernel/random/uuid) \
  -v /scratch/tasks:/tmp -w /tmp/live-task gbtest/busybox sleep 3600 >/dev/null
touch -d '-30 min' /scratch/tasks/ended-task /scratch/tasks/live-task
sleep 1
/usr/local/sbin/genomics-batch-scratch-cleanup run || echo "(cleanup exited $?)"
ls -la /scratch /scratch/tasks
rc=0
[ ! -e /scratch/$ended ] || { echo "FAIL kept /scratch/<job> of an exited container"; rc=1; }
[ -d /scratch/$live ] || { echo "FAIL removed /scratch/<job> of a running container"; rc=1; }
[ ! -e /scratch/tasks/ended-task ] || { echo "FAIL kept an old /scratch/tasks entry no process uses"; rc=1; }
[ -d /scratch/tasks/live-task ] || { echo "FAIL removed the /scratch/tasks entry of a running task"; rc=1; }
docker rm -f gbtest-ended gbtest-live gbtest-task >/dev/null
exit $rc""", timeout=180)


SHARED = "/mnt/shared"
EFS_SOURCE = "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com:/"


def check_shared_fs(vm, prefix=""):
    """The boot stack's existing EFS file system (the guest's own NFS server under EFS's DNS name),
    mounted by 60-shared-fs.sh as on a host: NFS 4.1 with AWS's options, shared with the server and
    with a task container, and Docker bound to it after a reboot."""
    vm.gsh(prefix + "shared_fs_nfs41_mount", f"""
findmnt -n -o SOURCE,FSTYPE,OPTIONS {SHARED}
[ "$(findmnt -n -o SOURCE {SHARED})" = {EFS_SOURCE} ] && [ "$(findmnt -n -o FSTYPE {SHARED})" = nfs4 ]
o=$(findmnt -n -o OPTIONS {SHARED})
# In effect (rsize and wsize are what the server allows: Linux's nfsd caps them at 256 KiB; EFS takes 1 MiB).
for want in vers=4.1 hard noresvport timeo=600 retrans=2; do
  case ",$o," in *",$want,"*) ;; *) echo "missing $want"; exit 1 ;; esac
done
grep -qx '{EFS_SOURCE} {SHARED} nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev,nofail 0 0' /etc/fstab""")
    vm.gsh(prefix + "shared_fs_visible_to_server_and_tasks", f"""
echo "written on the host $(date +%s%N)" > {SHARED}/gbtest-host
cmp {SHARED}/gbtest-host /srv/efs/gbtest-host
docker run --rm -v {SHARED}:{SHARED} gbtest/busybox sh -c 'cat {SHARED}/gbtest-host && echo from-a-task > {SHARED}/gbtest-task'
grep -qx from-a-task /srv/efs/gbtest-task""")
    vm.gsh(prefix + "shared_fs_required_by_docker", f"""
systemctl show -P RequiresMountsFor docker.service | grep -qw {SHARED}
systemctl show -P Requires docker.service | grep -qw mnt-shared.mount""")


GROW_DROPIN = r"""
mkdir -p /etc/systemd/system/genomics-batch-grow.service.d
printf '[Service]\nEnvironment=GB_GROW_INTERVAL=5 GB_DEVICE_WAIT=15\n' > /etc/systemd/system/genomics-batch-grow.service.d/gbtest.conf
systemctl daemon-reload && systemctl restart genomics-batch-grow.service"""

FILL = f"""
read -r size avail < <(df -B1M --output=size,avail {DATA} | tail -1)
fallocate -l $(( avail - size * 8 / 100 ))M /scratch/gbtest-fill-$(date +%s%N)
df -h {DATA}"""


def lv_bytes(vm):
    rc, out = vm.sh("lvs --noheadings --units b --nosuffix -o lv_size genomics-batch/data")
    return int(out.split()[0]) if rc == 0 and out.split() else 0


def wait_for(pred, timeout, step=3):
    end = time.time() + timeout
    while time.time() < end and all(vm.running() for vm in CURRENT):
        r = pred()
        if r:
            return r
        time.sleep(step)
    return None


def settled(vm, since, timeout=150):
    """Waits until every CreateVolume since `since` has had its DeleteVolume (no attempt in flight)."""
    def done():
        calls = [e.get("call") for e in vm.events() if e["t"] >= since]
        return calls.count("CreateVolume") and calls.count("DeleteVolume") >= calls.count("CreateVolume")
    return wait_for(done, timeout, 3)


def console_waits(vm):
    """The growth service's retry waits, in order, from its journal lines (forwarded to the console)."""
    lines = re.findall(r"genomics-batch\[\d+\]: (.*(?:next try|retr|again|back off|backing off).*)", vm.log())
    return lines, [int(x) for line in lines for x in re.findall(r"(\d+) ?s(?:econds)?\b", line)]


def check_cleanup_in_moto(vm, name):
    """No tagged volume left available, and no tagged volume attached that the guest lacks."""
    vols = vm.tagged_volumes()
    rc, links = vm.sh("ls /dev/disk/by-id/ | sed -n 's/^nvme-Amazon_Elastic_Block_Store_//p'")
    missing = [v["VolumeId"] for v in vols if v["State"] == "in-use"
               and v["VolumeId"].replace("-", "") not in links.split()]
    available = [v["VolumeId"] for v in vols if v["State"] == "available"]
    check(name, not missing and not available,
          f"available: {available}; attached but not in the guest: {missing}; volumes: "
          f"{[(v['VolumeId'], v['State']) for v in vols]}")


def growing_retries(vm, since):
    """CreateVolume calls after `since`, and the idle gaps between a DeleteVolume (an attempt's end)
    and the next attempt's first EC2 call: the back-off, with as little of an attempt's own work in
    it as the stand-in can see (that work takes 10-60 s under the software CPU, with load)."""
    ev = [e for e in vm.events() if e["t"] >= since and e.get("action")
          and e["action"] not in ("DescribeInstances",)]
    creates = [e["t"] for e in ev if e["action"] == "CreateVolume"]
    gaps, last_delete = [], None
    for e in ev:
        if e["action"] == "DeleteVolume":
            last_delete = e["t"]
        elif last_delete is not None:
            gaps.append(e["t"] - last_delete)
            last_delete = None
    return creates, gaps


# --- scenarios ---------------------------------------------------------------------------------------
def scenario_gp3(a):
    vm = VM(a, "gp3")
    try:
        if not provisioned(vm):
            return vm
        check_release(vm)
        check_storage(vm, 1, ["/dev/xvdb"])
        check_cli(vm)
        check_shared_fs(vm)
        check_scratch_cleanup(vm)
        # Growth end to end: a new tagged gp3 volume, attached, hot-plugged, LV and XFS grown online.
        before = lv_bytes(vm)
        rc, out = vm.sh(GROW_DROPIN + FILL)
        check("fill_scratch", rc == 0, out)
        grown = wait_for(lambda: lv_bytes(vm) > before, 240, 5)
        check("growth_lv_grown", grown, f"LV still {before} bytes; journal:\n" +
              vm.sh("journalctl -t genomics-batch -u genomics-batch-grow --no-pager | tail -20")[1])
        vols = [v for v in vm.tagged_volumes() if v["VolumeId"] != vm.state["data_volume"]]
        attached = [v for v in vols if v["State"] == "in-use" and any(
            x["InstanceId"] == vm.state["instance_id"] for x in v["Attachments"])]
        check("growth_volume_created_and_attached", attached, json.dumps(vols, default=str))
        root = [v for v in vm.ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [
            vm.state["instance_id"]]}])["Volumes"] if v["Attachments"][0]["Device"] == "/dev/xvda"]
        tags = lambda v: sorted((t["Key"], t["Value"]) for t in v.get("Tags", []))
        check("growth_volume_has_the_root_volumes_tags", attached and root and tags(attached[0]) == tags(root[0])
              and ("Cost Center", "lab/42") in tags(root[0]),
              json.dumps({"root": tags(root[0]) if root else None, "grown": tags(attached[0]) if attached else None}))
        if attached:
            serial = attached[0]["VolumeId"].replace("-", "")
            vm.gsh("growth_disk_in_lv_and_xfs_grown", f"""
dev=$(readlink -f /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_{serial})
pvs --noheadings -o pv_name,vg_name | while read -r pv vg; do echo "$(readlink -f "$pv") $vg"; done \
  | grep -q "^$dev genomics-batch$" || {{ pvs; echo "$dev is not a PV of genomics-batch"; exit 1; }}
fs=$(df -B1 --output=size {DATA} | tail -1); lv=$(lvs --noheadings --units b --nosuffix -o lv_size genomics-batch/data)
echo "fs $fs lv $lv"; [ "$fs" -gt $(( {before} * 11 / 10 )) ]""")
        check_cleanup_in_moto(vm, "growth_no_stray_volumes")
        # Reboot: storage back, Docker's root on it.
        vm.sh("systemctl reboot", timeout=20)
        time.sleep(10)
        ok = vm.wait_ssh(300) and wait_for(lambda: vm.sh("systemctl is-active docker")[0] == 0, 120)
        if check("reboot_back", ok, "no SSH or Docker after reboot"):
            check_storage(vm, 1, ["/dev/xvdb", f"/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_{serial}"]
                          if attached else ["/dev/xvdb"])
            RESULTS[-5:] = [(f"after_reboot_{n}", ok_, d) for n, ok_, d in RESULTS[-5:]]
            no_ordering_cycle(vm, "after_reboot_no_ordering_cycle")
            vm.gsh("after_reboot_shared_fs_mounted_before_docker", f"""
[ "$(findmnt -n -o FSTYPE {SHARED})" = nfs4 ] && test -s {SHARED}/gbtest-host
m=$(systemctl show -P ActiveEnterTimestampMonotonic mnt-shared.mount)
d=$(systemctl show -P ExecMainStartTimestampMonotonic docker.service)
echo "mount $m docker $d"; [ "$m" -gt 0 ] && [ "$m" -le "$d" ]""")
    finally:
        vm.stop()
    return vm


def scenario_nvme(a):
    vm = VM(a, "nvme", instance_store=2)
    try:
        if not provisioned(vm):
            return vm
        check_release(vm)
        check_storage(vm, 2, ["/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_AWS0000000000001f0e1",
                              "/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_AWS0000000000001f0e2"])
        vm.gsh("spare_recorded_by_volume_id", f"""
cat /var/lib/genomics-batch/spare-volume
[ "$(cat /var/lib/genomics-batch/spare-volume)" = {vm.state['data_volume']} ] || {{ echo "not the volume ID"; exit 1; }}
! pvs /dev/xvdb >/dev/null 2>&1 || {{ echo "the spare is in use"; exit 1; }}""")
        # Growth 1: the spare joins the LV.
        before = lv_bytes(vm)
        rc, out = vm.sh(GROW_DROPIN + FILL)
        check("fill_scratch", rc == 0, out)
        check("growth_spare_added", wait_for(lambda: lv_bytes(vm) > before, 180, 5),
              vm.sh("pvs; journalctl -t genomics-batch --no-pager | tail -20")[1])
        # Growth 2, attach refused: the volume deleted, retries back off.
        # Back-off from the default 20 s, so that each wait (40, 80 s) outweighs an attempt's own
        # duration, which varies with the software CPU's load.
        vm.sh(GROW_DROPIN.replace("GB_GROW_INTERVAL=5", "GB_GROW_INTERVAL=20"))
        vm.faults(attach="refuse")
        since = time.time()
        vm.sh(FILL)
        wait_for(lambda: len(growing_retries(vm, since)[0]) >= 3, 420, 5)
        t, gaps = growing_retries(vm, since)
        # The service waits 40 s, then 80 s (doubling from GB_GROW_INTERVAL=20): each gap is at least its
        # wait (an attempt's own work only adds to it), and without a back-off the second would be 20 s.
        check("attach_refused_retries_back_off", len(gaps) >= 2 and gaps[0] >= 40 and gaps[1] >= 80
              and gaps[1] > gaps[0],
              f"{len(t)} CreateVolume calls; gaps from each DeleteVolume to the next attempt's first call (s): "
              f"{[round(g, 1) for g in gaps]}; expected at least 40, then 80")
        vm.faults(attach="no-hotplug")  # the next attempt may attach; the one in flight finishes
        settled(vm, since)
        check_cleanup_in_moto(vm, "attach_refused_volume_deleted")
        lines, waits = console_waits(vm)
        check("journal_growing_waits", len(waits) >= 2 and all(b > a_ for a_, b in zip(waits, waits[1:])),
              "\n".join(lines[-10:]) or "no retry line from the growth service")
        # Growth 3, the disk never appears (fault set above). No attempt is in flight (settled, and the
        # next is 40 s or more away): a restart starts one now instead of after the back-off.
        since = time.time()
        vm.sh("systemctl restart genomics-batch-grow.service")
        seen = wait_for(lambda: "DetachVolume" in [e.get("call") for e in vm.events() if e["t"] >= since], 240, 5)
        seen = seen and settled(vm, since)
        check("no_disk_detached_and_deleted", seen,
              json.dumps([e for e in vm.events() if e["t"] >= since and "call" in e])[-1500:])
        check_cleanup_in_moto(vm, "no_disk_volume_deleted")
    finally:
        vm.stop()
    return vm


def scenario_fail(a):
    # The CLI bundle's signature does not verify (the zip changed after signing).
    vm = VM(a, "fail", faults={"mirror": "corrupt"})
    try:
        check("powered_off", vm.wait_exit(600), "the VM still runs 10 min after boot")
        m = re.search(r"genomics-batch: provisioning failed: (.+?)(?: \(line \d+\))?; shutting down", vm.log())
        check("failed_step_on_console", m and "is not signed by the key" in m.group(1),
              "no 'genomics-batch: provisioning failed: <step>[ (line N)]; shutting down' console line naming "
              "the signature check" + (f" (saw: {m.group(0)})" if m else ""))
        ok, detail = vm.metric_put()
        check("failure_metric_put", ok, "no GenomicsBatch/ProvisioningFailed metric with Environment="
              f"{vm.state['environment']}: {detail}")
        check("ecs_never_started", "gbtest: ecs.service started" not in vm.log(), "ecs.service started")
        no_ordering_cycle(vm)
    finally:
        vm.stop()
    return vm


def scenario_watchdog(a):
    vm = VM(a, "watchdog", cmdline="gbtest.hang=docker")
    try:
        off = vm.wait_exit(600)
        took = time.time() - vm.started
        check("powered_off", off, "the VM still runs 10 min after boot")
        check("off_about_5_min_after_boot", off and 290 <= took <= 480, f"powered off {took:.0f} s after QEMU start")
        check("watchdog_on_console", re.search(r"genomics-batch: provisioning failed: boot watchdog", vm.log()),
              "no 'genomics-batch: provisioning failed: boot watchdog' console line")
        ok, detail = vm.metric_put()
        check("failure_metric_put", ok, detail)
        check("ecs_never_started", "gbtest: ecs.service started" not in vm.log(), "ecs.service started")
        no_ordering_cycle(vm)
    finally:
        vm.stop()
    return vm


SCENARIOS = {"gp3": scenario_gp3, "nvme": scenario_nvme, "fail": scenario_fail, "watchdog": scenario_watchdog}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image", required=True)
    p.add_argument("--user-data", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--gnupghome", required=True)
    p.add_argument("--environment", default="genomics-batch-boot")
    p.add_argument("--data-gib", type=int, default=100)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    a = p.parse_args()
    t0 = time.time()
    vm = None
    try:
        SCENARIOS[a.scenario](a)
    except Exception:  # a harness error fails the scenario, with its reason
        import traceback
        check("harness", False, traceback.format_exc())
    vm = CURRENT[0] if CURRENT else None
    failed = [r for r in RESULTS if not r[1]]
    parts = ", ".join(f"{n} {s} s" for n, s in vm.parts()) if vm else ""
    status = "ok  " if not failed else "FAIL"
    print(f"boot-test: {status} {a.scenario} ({len(RESULTS) - len(failed)}/{len(RESULTS)} checks, "
          f"{time.time() - t0:.0f} s; parts: {parts or 'none reported'})")
    if failed:
        if vm:
            print(f"--- {a.scenario}: console tail ({vm.console})")
            print(vm.tail())
        for name, _, detail in failed:
            print(f"--- {a.scenario}: FAILED {name}")
            print(detail[-2000:] if detail else "(no output)")
    with open(os.path.join(a.work, a.scenario + ".checks.json"), "w") as f:
        json.dump(RESULTS, f, indent=1, default=str)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
