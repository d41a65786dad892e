"""The sync commands as an officer uses them: keys, trust, bundle export/show/import, receipts."""

import json

from tests.conftest import PASSPHRASE, run_cli

DEMO = {"TUVAN_PASSPHRASE": "demo-tuvan-2026"}
DISTRICT = {"TUVAN_PASSPHRASE": PASSPHRASE}


def test_point_to_district_by_command_line(tmp_path, office_engine):
    point, district = str(tmp_path / "point"), str(tmp_path / "district")
    assert run_cli("demo", "--register", point, "--clients", "20", "--months", "2").returncode == 0
    server = ["--database", office_engine.dsn(dbname="sync_cli")] if office_engine else []
    made = run_cli("init", "--register", district, "--role", "district", "--code", "LX-CA",
                   "--name", "Công an thành phố Long Xuyên", *server, env={"TUVAN_NEW_PASSPHRASE": PASSPHRASE})
    assert made.returncode == 0, made.stderr
    # Exchange key files; each side checks the fingerprint read aloud by the other.
    keys = {}
    for name, register, env in (("point", point, DEMO), ("district", district, DISTRICT)):
        out = run_cli("keys", "export", "--register", register, "--out", str(tmp_path / f"{name}.tvkey"), "--json",
                      env=env)
        assert out.returncode == 0, out.stderr
        keys[name] = json.loads(out.stdout)["fingerprint"]
    wrong = run_cli("trust", "--register", district, "--key", str(tmp_path / "point.tvkey"),
                    "--fingerprint", "0000 0000 0000 0000 0000 0000 0000 0000", env=DISTRICT)
    assert wrong.returncode == 2 and "vân tay" in wrong.stderr
    for register, key, env in ((point, "district", DEMO), (district, "point", DISTRICT)):
        trusted = run_cli("trust", "--register", register, "--key", str(tmp_path / f"{key}.tvkey"),
                          "--fingerprint", keys[key].lower(), env=env)
        assert trusted.returncode == 0, trusted.stderr
    sent = run_cli("bundle", "export", "--register", point, "--out", str(tmp_path / "usb"), "--json", env=DEMO)
    assert sent.returncode == 0, sent.stderr
    bundle = json.loads(sent.stdout)["bundles"][0]["file"]
    shown = run_cli("bundle", "show", bundle, "--json")
    header = json.loads(shown.stdout)
    assert header["sender"]["unit_code"] == "MYHOA-01" and header["seq"] == 1 and "Nguyễn" not in shown.stdout
    dry = run_cli("bundle", "import", "--register", district, "--dry-run", bundle, "--json", env=DISTRICT)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["bundles"][0]["counts"]["clients"]["new"] == 20
    done = run_cli("bundle", "import", "--register", district, bundle, env=DISTRICT)
    assert done.returncode == 0 and "đã nhập" in done.stdout.lower()
    again = run_cli("bundle", "import", "--register", district, bundle, env=DISTRICT)
    assert again.returncode == 0 and "đã được nhập" in again.stdout
    receipt = str(tmp_path / "receipt.tvr")
    assert run_cli("receipt", "export", "--register", district, "--point", "MYHOA-01", "--out", receipt,
                   env=DISTRICT).returncode == 0
    got = run_cli("receipt", "import", "--register", point, receipt, env=DEMO)
    assert got.returncode == 0 and "LX-CA" in got.stdout
    nothing = run_cli("bundle", "export", "--register", point, "--out", str(tmp_path / "usb2"), env=DEMO)
    assert nothing.returncode == 1 and len(nothing.stderr.strip().splitlines()) == 1
    damaged = tmp_path / "damaged.tvb"
    data = bytearray(open(bundle, "rb").read())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    refused = run_cli("bundle", "import", "--register", district, str(damaged), env=DISTRICT)
    assert refused.returncode == 2 and "bị từ chối" in refused.stderr
