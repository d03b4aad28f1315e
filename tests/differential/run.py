#!/usr/bin/env python3
"""Differential test: imap-doctor's predicted Java verdict vs a real JSSE handshake.

    IMAP_DOCTOR=/path/to/imap-doctor python3 tests/differential/run.py
    python3 tests/differential/run.py /path/to/imap-doctor --cases 1000 --seed 7

Environment: DIFF_CASES (default 300), DIFF_SEED (default 1), IMAP_DOCTOR,
JAVA_HOME or JAVA (the java binary; default: `java` on PATH), DIFF_JOBS
(parallel imap-doctor processes, default 2).

Generates the cases (gen_chains.py), runs them all through ONE JsseOracle JVM
(tests/java/JsseOracle.java: a real in-memory TLS handshake per case) and
through `imap-doctor analyze ... --json`, classifies both answers into
families and reports the agreement. Every disagreement is written under
tests/differential/disagreements/seed-<seed>-<index>/ (PEMs, the case, both
answers). The last line is `differential: N passed, M failed`.
"""

import argparse
import collections
import concurrent.futures as cf
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ORACLE_SRC = os.path.join(REPO, "tests", "java", "JsseOracle.java")
OUT_DIR = os.path.join(HERE, "disagreements")

try:
    import cryptography  # noqa: F401
except ImportError:  # the generator needs it
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "cryptography"])

sys.path.insert(0, HERE)
import gen_chains  # noqa: E402

FAMILIES = ["trusted", "path", "validity", "signature", "key-usage", "basic-constraints",
            "name-constraints", "critical-extension", "host", "unparseable", "other"]


def classify_text(msg):
    """Family of a Java error message (used for both sides)."""
    m = (msg or "").lower()
    if not m:
        return None
    # JDK 25 words an empty trust store (the validator cannot be made) as an
    # internal error without text; it is a failure to find a path.
    if "(internal_error) unhandled exception" in m:
        return "path"
    if "no subject alternative" in m or "no name matching" in m or "illegal given domain name" in m:
        return "host"
    if "name constraints" in m or "nameconstraints" in m:
        return "name-constraints"
    if "unrecognized critical extension" in m or "unsupported critical extension" in m:
        return "critical-extension"
    if "basic constraints" in m or "not a ca certificate" in m or "pathlenconstraint" in m:
        return "basic-constraints"
    if ("keycertsign" in m or "key usage" in m or "keyusage" in m or "extended key usage" in m
            or "eku" in m):
        return "key-usage"
    if ("algorithm constraints" in m or "signature check failed" in m or "signature does not match" in m
            or "disabled algorithm" in m or "certificate signature algorithm" in m or "signature algorithm" in m):
        return "signature"
    if "validity check failed" in m or "certificateexpired" in m or "notyetvalid" in m or "notafter" in m \
            or "notbefore" in m:
        return "validity"
    if ("unable to find valid certification path" in m or "path does not chain" in m
            or "pkix path building failed" in m or "trustanchor" in m or "no trusted certificate" in m):
        return "path"
    if "parse" in m or "unparseable" in m or "could not" in m and "certificate" in m:
        return "unparseable"
    return "other"


# --------------------------------------------------------------- the oracle

class Oracle:
    def __init__(self, java):
        self.java = java
        self.dir = tempfile.mkdtemp(prefix="jsse-oracle-")
        javac = os.path.join(os.path.dirname(os.path.realpath(java)), "javac")
        if not os.path.exists(javac):
            javac = shutil.which("javac") or "javac"
        subprocess.check_call([javac, "-nowarn", "-d", self.dir, ORACLE_SRC])
        self.start()

    def start(self):
        self.p = subprocess.Popen(
            [self.java, "--add-opens", "java.base/sun.security.validator=ALL-UNNAMED",
             "--add-opens", "java.base/sun.security.ssl=ALL-UNNAMED", "-cp", self.dir, "JsseOracle"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", bufsize=1)
        ready = self.p.stdout.readline().rstrip("\n").split("\t")
        if ready[0] != "READY":
            raise RuntimeError("oracle did not start: %r" % ready)
        self.version = ready[1]
        self.pin = ready[2] if len(ready) > 2 else ""

    def ask(self, case, timeout=120):
        line = "\t".join([
            str(case["index"]), case["tls"], case["ident"], case["host"], str(at_ms(case)),
            ",".join(pem_body(p) for p in case["chain"]),
            ",".join(pem_body(p) for p in case["anchors"]),
            case["leaf_key"], case["leaf_key_alg"],
            ",".join(pem_body(p) for p in case.get("server_chain", []))])
        result = {}

        def read():
            try:
                self.p.stdin.write(line + "\n")
                self.p.stdin.flush()
                result["line"] = self.p.stdout.readline()
            except Exception as e:  # broken pipe
                result["err"] = str(e)

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(timeout)
        if t.is_alive() or not result.get("line"):
            self.p.kill()
            self.p.wait()
            self.start()
            return {"outcome": "ERROR", "message": "oracle timed out or died", "chain": "", "detail": ""}
        f = result["line"].rstrip("\n").split("\t")
        f += [""] * (6 - len(f))
        return {"outcome": f[1], "message": unesc(f[2]), "chain": unesc(f[3]), "detail": unesc(f[4])}

    def close(self):
        try:
            self.p.stdin.write("QUIT\n")
            self.p.stdin.flush()
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def unesc(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def pem_body(p):
    return "".join(l for l in p.splitlines() if l and not l.startswith("-----"))


def java_family(ans):
    o = ans["outcome"]
    if o == "TRUSTED":
        return "trusted"
    if o in ("NOTM", "ERROR"):
        return None
    if ans["detail"] == "parse":
        return "unparseable"
    fam = classify_text(ans["message"])
    if fam in (None, "other"):
        fam = classify_text(ans["chain"]) or "other"
    return fam


# --------------------------------------------------------------- imap-doctor

def java_release(version):
    """`17.0.15`, `21.0.8`, `25.0.2` from java.version (`21` for a GA `21`)."""
    core = version.split("+")[0].split("-")[0]
    return core if core.count(".") >= 2 or "." not in core else core.split(".")[0]


def write_chain_files(directory, case):
    """The case's chain and trust anchors as chain.pem and trust.pem in directory."""
    os.makedirs(directory, exist_ok=True)
    for name, key in (("chain.pem", "chain"), ("trust.pem", "anchors")):
        with open(os.path.join(directory, name), "w") as f:
            f.write("".join(case[key]))


def at_ms(case):
    return case.get("at_ms", case["at"] * 1000)


def rfc3339_ms(ms):
    """RFC 3339 with milliseconds when there are any."""
    s = rfc3339(ms // 1000)
    return s if ms % 1000 == 0 else s[:-1] + ".%03dZ" % (ms % 1000)


def rfc3339(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_doctor(exe, case, workdir, java_release="17"):
    d = os.path.join(workdir, str(case["index"]))
    os.makedirs(d, exist_ok=True)
    chain = os.path.join(d, "chain.pem")
    with open(chain, "w") as f:
        f.write("".join(case["chain"]))
    args = [exe, "analyze", chain]
    if case["anchors"]:
        trust = os.path.join(d, "trust.pem")
        with open(trust, "w") as f:
            f.write("".join(case["anchors"]))
        args += ["--trust", trust]
    args += ["--no-public-roots", "--host", case["host"], "--at", rfc3339_ms(at_ms(case)), "--java", java_release,
             "--tls", case["tls"], "--json"]
    if case["ident"] == "NONE":
        args.append("--no-identity-check")
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return {"error": "timeout", "args": args}
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        return {"error": "no JSON (exit %d): %s" % (p.returncode, (p.stderr or p.stdout)[:500]), "args": args}
    return {"verdict": rep.get("verdict"), "java_error": rep.get("java_error"),
            "rules": sorted({f.get("rule") for f in rep.get("findings", [])}),
            "path": rep.get("path"), "summary": rep.get("summary"), "args": args}


def doctor_family(ans):
    if "error" in ans:
        return "other"
    v = ans["verdict"]
    if v == "no-certificates":
        return "unparseable"
    if ans.get("java_error"):
        return classify_text(ans["java_error"])
    if v == "trusted":
        return "trusted"
    if v in ("missing-intermediate", "untrusted-root"):
        return "path"
    return "other"


VALIDATOR_FAMILIES = {"path", "validity", "signature", "key-usage", "basic-constraints", "name-constraints",
                      "critical-extension"}


def cause(c, j, d, jf, df):
    """Heuristic cause of a disagreement (the groups of README.md), from the
    generator's notes and both answers. A guide for triage, not a proof."""
    jm = (j["message"] + " || " + j["chain"]).lower()
    rules = set(d.get("rules") or [])
    notes = c["notes"]
    names = next((n.split(":", 1)[1] for n in notes if n.startswith("names:")), "")
    keys = " ".join(n for n in notes if "-key:" in n or n.startswith("leafkey:"))
    if c["ident"] == "NONE" and jf == "trusted" and df == "host":
        return "doctor: --no-identity-check still predicts the host-name error"
    if c.get("server_chain") and jf != df:
        return "doctor: treats the leaf as the server certificate when chain[0] is another one (Java uses chain[0])"
    if "illegal given domain name" in jm:
        return "host: Java refuses a host name that is not a valid SNI/IDN name (%s)" % names
    if "trustanchor with subject" in jm:
        return "anchor: Java checks the anchor's basicConstraints/keyCertSign (PKIXValidator.verifyTrustAnchor)"
    if "trustanchors parameter must be non-empty" in jm:
        return "empty trust store: Java's message is InvalidAlgorithmParameterException"
    if "chain.unsupported-signature" in rules and jf != df:
        return "doctor: DSA signatures unsupported"
    if "chain.bad-signature" in rules and jf != "signature" and ("P-521" in keys or "8192" in keys):
        return "doctor: P-521 (with SHA-256/224) or RSA-8192 signatures do not verify"
    crit = any("unknown-critical" in n for n in notes)
    if "unrecognized critical extension" in jm or (jf == "path" and crit and df in ("trusted", "host")):
        return "doctor: unknown critical extensions ignored"
    nc = any(":nc:" in n for n in notes)
    if "name constraints" in jm or (jf == "path" and nc and df in ("trusted", "host")):
        return "doctor: name constraints ignored"
    if "keyusage does not allow" in jm:
        return "doctor: the leaf's keyUsage is not checked (EndEntityChecker)"
    if jf == "trusted" and df in ("path", "signature", "other") and any("aki-mismatch" in n for n in notes):
        return "build mode: Java ignores an AKI/SKI mismatch; doctor drops that issuer"
    if jf == "trusted" and df == "host":
        return "host: Java's matching is wider (%s)" % names
    if jf == "host" and df in ("trusted", "path", "signature", "other") and df != "trusted":
        return "doctor rejects a chain Java accepts (Java then fails on the host name)"
    if jf == "host" and df == "trusted":
        return "host: Java is stricter (%s)" % names
    if jf == "path" and df in ("trusted", "host") and any(n.startswith("root0:expired") or
                                                          n.startswith("root0:not-yet") for n in notes):
        return "build mode: Java's builder refuses an expired/not-yet-valid anchor"
    if jf in VALIDATOR_FAMILIES and df in VALIDATOR_FAMILIES:
        return "order: Java reports another problem first (checker order)"
    return "unclassified (%s -> %s)" % (jf, df)


def expected_message(j, version="17"):
    """Java's message as JavaMail shows it. For a chain the JDK cannot parse
    the oracle reports the parser's reason (it parses before the handshake);
    JSSE's CertificateMessage says "Failed to parse server certificates",
    with alert bad_certificate, which JDK 25 and later put in front."""
    if j.get("detail") != "parse":
        return j["message"]
    line = int(java_release(version).split(".")[0])
    return ("(bad_certificate) " if line >= 25 else "") + "Failed to parse server certificates"


def norm(msg):
    return " ".join((msg or "").split()).rstrip(".")


# --------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("imap_doctor", nargs="?", default=os.environ.get("IMAP_DOCTOR"))
    ap.add_argument("--cases", type=int, default=int(os.environ.get("DIFF_CASES", "300")))
    ap.add_argument("--seed", default=os.environ.get("DIFF_SEED", "1"))
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("DIFF_JOBS", "2")))
    ap.add_argument("--java", default=os.environ.get("JAVA") or (
        os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"))
    ap.add_argument("--results", help="write every case's answers here (JSON lines)")
    ap.add_argument("--profile", default=os.environ.get("DIFF_PROFILE"),
                    help="imap-doctor's --java (default: the oracle JVM's own version, e.g. 21.0.8)")
    a = ap.parse_args()
    exe = a.imap_doctor or os.path.join(REPO, "target", "debug", "imap-doctor")
    if not os.path.exists(exe):
        sys.exit("imap-doctor not found: give its path as argument or IMAP_DOCTOR")
    java = shutil.which(a.java) or a.java

    pool = gen_chains.load_pool(a.seed)
    cases = [gen_chains.gen_case(a.seed, i, pool) for i in range(a.start, a.start + a.cases)]
    oracle = Oracle(java)
    # imap-doctor is asked for the release the oracle runs, so its --java
    # profile is checked against the matching JDK.
    profile = a.profile or java_release(oracle.version)
    print("oracle: Java %s (%s), %d cases, seed %s; imap-doctor --java %s"
          % (oracle.version, oracle.pin, len(cases), a.seed, profile), file=sys.stderr)

    workdir = tempfile.mkdtemp(prefix="imap-doctor-diff-")
    with cf.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        doc_futs = [ex.submit(run_doctor, exe, c, workdir, profile) for c in cases]
        jans = []
        for i, c in enumerate(cases):
            jans.append(oracle.ask(c))
            if (i + 1) % 50 == 0:
                print("  %d/%d" % (i + 1, len(cases)), file=sys.stderr)
        dans = [f.result() for f in doc_futs]
    oracle.close()
    shutil.rmtree(workdir, ignore_errors=True)

    os.makedirs(OUT_DIR, exist_ok=True)
    prefix = "seed-%s-" % a.seed
    for old in os.listdir(OUT_DIR):
        if old.startswith(prefix):
            shutil.rmtree(os.path.join(OUT_DIR, old), ignore_errors=True)

    passed = failed = skipped = exact = 0
    pairs = collections.Counter()
    examples = {}
    causes = collections.Counter()
    cause_ex = {}
    java_fams = collections.Counter()
    res_out = open(a.results, "w") if a.results else None
    for c, j, d in zip(cases, jans, dans):
        jf, df = java_family(j), doctor_family(d)
        if res_out:
            res_out.write(json.dumps({"index": c["index"], "notes": c["notes"], "host": c["host"], "tls": c["tls"],
                                      "java": j, "java_family": jf, "doctor": d, "doctor_family": df},
                                     ensure_ascii=False) + "\n")
        if jf is None:
            skipped += 1
            pairs[("oracle:" + j["outcome"], df)] += 1
            examples.setdefault(("oracle:" + j["outcome"], df), c["index"])
            continue
        java_fams[jf] += 1
        if jf == df:
            passed += 1
            if jf == "trusted" or norm(expected_message(j, oracle.version)) == norm(d.get("java_error")):
                exact += 1
            continue
        failed += 1
        pairs[(jf, df)] += 1
        examples.setdefault((jf, df), c["index"])
        why = cause(c, j, d, jf, df)
        causes[why] += 1
        cause_ex.setdefault(why, []).append(c["index"])
        out = os.path.join(OUT_DIR, "%s%d" % (prefix, c["index"]))
        write_chain_files(out, c)
        with open(os.path.join(out, "case.json"), "w") as f:
            json.dump({k: c[k] for k in ("seed", "index", "tls", "ident", "host", "at", "leaf_key_alg", "notes")}
                      | {"at_rfc3339": rfc3339_ms(at_ms(c)), "java_family": jf, "doctor_family": df,
                         "cause": why, "java": j, "doctor": {k: v for k, v in d.items() if k != "args"},
                         "reproduce": "python3 tests/differential/run.py IMAP_DOCTOR --seed %s --start %d --cases 1"
                                      % (c["seed"], c["index"]),
                         "doctor_command": " ".join(d.get("args", []))}, f, indent=2, ensure_ascii=False)
    if res_out:
        res_out.close()

    print("\nJava families: " + ", ".join("%s %d" % kv for kv in java_fams.most_common()))
    if pairs:
        print("disagreements (java family -> imap-doctor family: count, example index):")
        for (jf, df), n in pairs.most_common():
            print("  %-22s -> %-20s %4d   e.g. seed-%s-%d" % (jf, df, n, a.seed, examples[(jf, df)]))
    if causes:
        print("disagreements by probable cause (heuristic; example indices):")
        for why, n in causes.most_common():
            print("  %4d  %s   e.g. %s" % (n, why, ", ".join("seed-%s-%d" % (a.seed, i) for i in cause_ex[why][:3])))
    total = passed + failed
    if total:
        print("agreement: %.1f%% (%d/%d); same message as Java among agreements: %d/%d; oracle skipped %d"
              % (100.0 * passed / total, passed, total, exact, passed, skipped))
    print("differential: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
