#!/usr/bin/env python3
"""Stand-in EC2 services for one boot-test VM (run with the CI host's python3, which has moto).

One HTTP port (the guest reaches it as http://10.0.2.100:80 through QEMU's guestfwd):
  /latest/...          IMDSv2 (token, instance-id, placement, IAM role credentials)
  /seed/...            cloud-init NoCloud seed (user-data, meta-data)
  /_gbtest/...         the harness's controls: faults, device names, call log, hot-plug log
  anything else        moto (EC2 + CloudWatch), in process
One HTTPS port (https://10.0.2.100:443 in the guest): the AWS CLI mirror, with a server certificate
for 10.0.2.100 and 10.0.2.2 signed by the harness's test CA.

On a successful AttachVolume the volume is hot-plugged into the VM through QMP (a sparse raw file of
the volume's size as an NVMe disk with serial vol<hex>); DetachVolume unplugs it. Faults
(POST /_gbtest/faults, JSON): {"attach": "refuse" | "no-hotplug" | null, "mirror": "404" | null}.

Writes its ports, the instance and its data volume as JSON to --state once it serves.
"""
import argparse
import datetime
import http.server
import io
import ipaddress
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

ROLE = "genomics-batch-boot-test-instance-role"



# The stack's tags as the launch template puts them on volumes (with a space and a '/' in them, as tag
# keys may have): the boot test checks that a grown volume carries them too.
VOLUME_TAGS = [{"Key": "Project", "Value": "genomics-batch"}, {"Key": "Cost Center", "Value": "lab/42"}]

class Qmp:
    """One QMP connection, opened on first use (QEMU starts after this process)."""

    def __init__(self, path, log):
        self.path, self.log, self.sock, self.file, self.lock = path, log, None, None, threading.Lock()

    def _connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.path)
        self.sock, self.file = s, s.makefile("rwb")
        self.file.readline()  # greeting
        self._call("qmp_capabilities")

    def _call(self, cmd, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.file.write(json.dumps(msg).encode() + b"\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise RuntimeError("QMP closed")
            reply = json.loads(line)
            if "event" in reply:
                self.log({"qmp-event": reply["event"], "data": reply.get("data")})
                continue
            if "error" in reply:
                raise RuntimeError(f"QMP {cmd}: {reply['error']}")
            return reply.get("return")

    def call(self, cmd, **args):
        with self.lock:
            if self.sock is None:
                self._connect()
            return self._call(cmd, **args)


class StandIn:
    def __init__(self, a):
        self.a = a
        self.faults = {"attach": None, "mirror": None}
        self.devices = {}  # "vol<hex>" -> "xvdX"
        self.events = []
        self.lock = threading.Lock()
        self.token = "gbtest-imds-token"
        self.qmp = Qmp(a.qmp, self.record) if a.qmp else None
        self.moto = DomainDispatcherApplication(create_backend_app)

    def record(self, event):
        event["t"] = round(time.time(), 3)
        with self.lock:
            self.events.append(event)

    # --- WSGI ---------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/latest/"):
            return self.imds(environ, start_response, path)
        if path.startswith("/seed/"):
            return self.seed(start_response, path[len("/seed/"):])
        if path.startswith("/_gbtest/"):
            return self.control(environ, start_response, path[len("/_gbtest/"):])
        return self.ec2(environ, start_response)

    @staticmethod
    def reply(start_response, status, body, ctype="text/plain"):
        if isinstance(body, str):
            body = body.encode()
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    def imds(self, environ, start_response, path):
        method = environ["REQUEST_METHOD"]
        if path == "/latest/api/token":
            if method != "PUT":
                return self.reply(start_response, "405 Method Not Allowed", "")
            return self.reply(start_response, "200 OK", self.token)
        if environ.get("HTTP_X_AWS_EC2_METADATA_TOKEN") != self.token:
            return self.reply(start_response, "401 Unauthorized", "")
        md = path[len("/latest/meta-data/"):] if path.startswith("/latest/meta-data/") else None
        now = datetime.datetime.now(datetime.timezone.utc)
        values = {
            "instance-id": self.instance_id,
            "placement/availability-zone": self.az,
            "placement/region": self.a.region,
            "services/domain": "amazonaws.com",
            "services/partition": "aws",
            "instance-type": "m6id.large",
            "ami-id": "ami-12c6146b",
            "local-ipv4": "10.0.2.15",
            "local-hostname": "gbtest",
            "hostname": "gbtest",
            "iam/security-credentials/": ROLE,
            "iam/security-credentials": ROLE,
            "iam/security-credentials/" + ROLE: json.dumps({
                "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAGBTESTGBTESTGBTE",
                "SecretAccessKey": "gbtest-secret", "Token": "gbtest-session-token",
                "LastUpdated": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Expiration": (now + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")}),
            "iam/info": json.dumps({"Code": "Success", "InstanceProfileArn":
                                    f"arn:aws:iam::123456789012:instance-profile/{ROLE}"}),
        }
        if path == "/latest/dynamic/instance-identity/document":
            return self.reply(start_response, "200 OK", json.dumps({
                "instanceId": self.instance_id, "availabilityZone": self.az, "region": self.a.region,
                "accountId": "123456789012"}), "application/json")
        if md is not None and md in values:
            return self.reply(start_response, "200 OK", values[md])
        return self.reply(start_response, "404 Not Found", "")

    def seed(self, start_response, name):
        if name == "user-data":
            with open(self.a.user_data, "rb") as f:
                return self.reply(start_response, "200 OK", f.read())
        if name == "meta-data":
            return self.reply(start_response, "200 OK",
                              f"instance-id: {self.instance_id}\nlocal-hostname: gbtest\n")
        if name == "vendor-data":
            return self.reply(start_response, "200 OK", "")
        return self.reply(start_response, "404 Not Found", "")

    def control(self, environ, start_response, what):
        if what == "faults" and environ["REQUEST_METHOD"] == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            self.faults.update(json.loads(body or b"{}"))
            self.record({"faults": dict(self.faults)})
            return self.reply(start_response, "200 OK", json.dumps(self.faults), "application/json")
        if what == "device":
            vol = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("volume", [""])[0]
            dev = self.devices.get(vol)
            return self.reply(start_response, "200 OK" if dev else "404 Not Found", dev or "")
        if what == "events":
            with self.lock:
                return self.reply(start_response, "200 OK", json.dumps(self.events), "application/json")
        return self.reply(start_response, "404 Not Found", "")

    def ec2(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            params.update(urllib.parse.parse_qs(body.decode(errors="replace")))
        action = params.get("Action", [""])[0]
        one = {k: v[0] for k, v in params.items() if k not in ("Action", "Version")}
        if action == "DetachVolume" and "InstanceId" not in one and "VolumeId" in one and body:
            # EC2 takes DetachVolume with the volume ID alone; moto 5.2.1 fails without the instance.
            vols = self.client.describe_volumes(Filters=[{"Name": "volume-id", "Values": [one["VolumeId"]]}])
            for att in (vols["Volumes"][0]["Attachments"] if vols["Volumes"] else []):
                body += b"&InstanceId=" + att["InstanceId"].encode()
                environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        if action and not self.internal(environ):
            self.record({"call": action, "params": one})
        if action == "AttachVolume" and self.faults.get("attach") == "refuse":
            self.record({"refused": one.get("VolumeId")})
            return self.reply(start_response, "400 Bad Request",
                              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error>"
                              "<Code>VolumeLimitExceeded</Code><Message>boot test: attachment refused"
                              "</Message></Error></Errors><RequestID>gbtest</RequestID></Response>",
                              "text/xml")
        status = {}

        def capture(s, headers, exc_info=None):
            status["s"] = s
            return start_response(s, headers, exc_info)

        result = self.moto(environ, capture)
        if not self.internal(environ):
            self.record({"request": environ["REQUEST_METHOD"] + " " + environ.get("PATH_INFO", ""),
                         "target": environ.get("HTTP_X_AMZ_TARGET"), "action": action or None,
                         "status": status.get("s"), "auth": environ.get("HTTP_AUTHORIZATION", "")[:120]})
        if status.get("s", "").startswith("200") and not self.internal(environ):
            if action == "AttachVolume" and self.faults.get("attach") != "no-hotplug":
                self.hotplug(one["VolumeId"], one["Device"])
            elif action == "DetachVolume":
                self.unplug(one["VolumeId"])
        return result

    @staticmethod
    def internal(environ):
        return environ.get("HTTP_USER_AGENT", "").find("gbtest-harness") >= 0

    # --- disks --------------------------------------------------------------------------------
    def hotplug(self, volume_id, device):
        serial = volume_id.replace("-", "")
        self.devices[serial] = device.rsplit("/", 1)[-1]
        vol = self.client.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]
        path = os.path.join(self.a.disk_dir, serial + ".raw")
        with open(path, "wb") as f:
            f.truncate(vol["Size"] << 30)
        try:
            self.qmp.call("blockdev-add", **{"driver": "raw", "node-name": serial,
                                             "file": {"driver": "file", "filename": path}})
            self.qmp.call("device_add", driver="nvme", id="dev-" + serial, serial=serial, drive=serial)
            self.record({"hotplug": volume_id, "device": device, "gib": vol["Size"]})
        except Exception as e:  # reported to the harness, which fails the scenario
            self.record({"hotplug-error": volume_id, "error": str(e)})

    def unplug(self, volume_id):
        serial = volume_id.replace("-", "")

        def later():
            try:
                self.qmp.call("device_del", id="dev-" + serial)
            except Exception as e:
                self.record({"unplug-error": volume_id, "error": str(e)})
                return
            for _ in range(60):
                time.sleep(1)
                try:
                    self.qmp.call("blockdev-del", **{"node-name": serial})
                    self.record({"unplugged": volume_id})
                    return
                except Exception:
                    continue
            self.record({"unplug-error": volume_id, "error": "blockdev-del kept failing"})

        if self.qmp and os.path.exists(os.path.join(self.a.disk_dir, serial + ".raw")):
            threading.Thread(target=later, daemon=True).start()

    # --- setup --------------------------------------------------------------------------------
    def create_instance(self, endpoint):
        self.client = boto3.client("ec2", region_name=self.a.region, endpoint_url=endpoint,
                                   config=boto3.session.Config(user_agent_extra="gbtest-harness"))
        r = self.client.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="m6id.large",
            BlockDeviceMappings=[
                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "VolumeType": "gp3"}},
                {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": self.a.data_gib, "VolumeType": "gp3",
                                                    "Encrypted": True, "DeleteOnTermination": True}}],
            # As the launch template's tag specifications do: the environment tag on instances and
            # volumes, and the stack's tags on volumes (storage growth copies the root volume's).
            TagSpecifications=[{"ResourceType": "instance", "Tags": [
                {"Key": "genomics-batch-environment", "Value": self.a.environment}]},
                {"ResourceType": "volume", "Tags": VOLUME_TAGS + [
                    {"Key": "genomics-batch-environment", "Value": self.a.environment}]}])
        inst = r["Instances"][0]
        self.instance_id, self.az = inst["InstanceId"], inst["Placement"]["AvailabilityZone"]
        d = self.client.describe_instances(InstanceIds=[self.instance_id])["Reservations"][0]["Instances"][0]
        vols = {m["DeviceName"]: m["Ebs"]["VolumeId"] for m in d["BlockDeviceMappings"]}
        self.data_volume = vols["/dev/xvdb"]
        self.devices[self.data_volume.replace("-", "")] = "xvdb"


class Mirror(http.server.SimpleHTTPRequestHandler):
    """The AWS CLI mirror: <awsCliUrl>/awscli-exe-linux-x86_64-<version>.zip[.sig], the stand-in
    bundle built and signed on the first request for a version. Faults: "404" (nothing served),
    "corrupt" (the zip gains bytes after signing: the signature no longer verifies)."""
    standin = None
    build_lock = threading.Lock()

    def do_GET(self):
        s = self.standin
        m = re.fullmatch(r"/awscli/awscli-exe-linux-x86_64-([0-9.]+)\.zip(\.sig)?", self.path)
        if s.faults.get("mirror") == "404" or not m:
            s.record({"mirror": self.path, "status": 404})
            self.send_error(404)
            return
        zip_path = os.path.join(s.a.mirror_dir, "awscli", f"awscli-exe-linux-x86_64-{m[1]}.zip")
        with self.build_lock:
            if not os.path.exists(zip_path + ".sig"):
                subprocess.run([s.a.bundle_builder, m[1], os.path.dirname(zip_path), s.a.gnupghome],
                               check=True)
        with open(zip_path + (m[2] or ""), "rb") as f:
            body = f.read()
        if s.faults.get("mirror") == "corrupt" and not m[2]:
            body += b"\0gbtest"
        s.record({"mirror": self.path, "status": 200, "version": m[1]})
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def server_cert(a):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    with open(a.ca_key, "rb") as f:
        ca_key = serialization.load_pem_private_key(f.read(), None)
    with open(a.ca_cert, "rb") as f:
        ca = x509.load_pem_x509_certificate(f.read())
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "10.0.2.100")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))
                                                        for ip in ("10.0.2.100", "10.0.2.2")]), False)
            .sign(ca_key, hashes.SHA256()))
    path = os.path.join(a.disk_dir, "mirror.pem")
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--user-data", required=True)
    p.add_argument("--mirror-dir", required=True)
    p.add_argument("--disk-dir", required=True)
    p.add_argument("--qmp")
    p.add_argument("--bundle-builder", required=True)
    p.add_argument("--gnupghome", required=True)
    p.add_argument("--ca-cert", required=True)
    p.add_argument("--ca-key", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--environment", default="genomics-batch-boot")
    p.add_argument("--data-gib", type=int, default=100)
    a = p.parse_args()
    standin = StandIn(a)
    http_server = make_server("127.0.0.1", 0, standin, threaded=True)
    http_port = http_server.socket.getsockname()[1]
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    standin.create_instance(f"http://127.0.0.1:{http_port}")

    Mirror.standin = standin
    https = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(server_cert(a))
    https.socket = ctx.wrap_socket(https.socket, server_side=True)
    threading.Thread(target=https.serve_forever, daemon=True).start()

    state = {"http_port": http_port, "https_port": https.server_address[1],
             "instance_id": standin.instance_id, "availability_zone": standin.az, "region": a.region,
             "data_volume": standin.data_volume, "environment": a.environment}
    with open(a.state + ".tmp", "w") as f:
        json.dump(state, f)
    os.rename(a.state + ".tmp", a.state)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
