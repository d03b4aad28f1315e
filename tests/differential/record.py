#!/usr/bin/env python3
"""Record generated cases with the answers of every JDK at hand, as fixed
regression cases for the engine's tests (crates/engine/tests/engine/jdk_profiles.rs).

    JAVA_17=java JAVA_21=.../bin/java JAVA_25=.../bin/java \\
      python3 tests/differential/record.py --seed 1 --cases 71,165 [--at-ms-offset 165=500] OUT_DIR

Each case becomes OUT_DIR/seed-<seed>-<index>[-<suffix>]/ with chain.pem,
trust.pem and case.json: host, at_ms, tls, ident, and per JDK line the
outcome and message its real trust manager gave in the oracle's handshake.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_chains  # noqa: E402
import run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--cases", required=True, help="comma-separated indices")
    ap.add_argument("--at-ms-offset", action="append", default=[],
                    help="INDEX=MS: also record the case with the analysis time MS ms after its second")
    a = ap.parse_args()
    pool = gen_chains.load_pool(a.seed)
    cases = []
    for i in [int(x) for x in a.cases.split(",")]:
        c = gen_chains.gen_case(a.seed, i, pool)
        c["at_ms"] = c["at"] * 1000
        cases.append(("seed-%s-%d" % (a.seed, i), c))
    for spec in a.at_ms_offset:
        i, ms = (int(x) for x in spec.split("="))
        c = dict(gen_chains.gen_case(a.seed, i, pool))
        c["at_ms"] = c["at"] * 1000 + ms
        cases.append(("seed-%s-%d-at-plus-%dms" % (a.seed, i, ms), c))
    write_fixtures(cases, a.out)


def write_fixtures(cases, out):
    """Asks every JDK named by JAVA_17 / JAVA_21 / JAVA_25 about each
    (name, case) and writes OUT/name/{chain.pem,trust.pem,case.json}.

    A chain the JDK cannot parse is recorded with the message JSSE's
    CertificateMessage gives in a real handshake ("Failed to parse server
    certificates", on JDK 25 after its alert "(bad_certificate)"; read in
    the JDK source: the oracle parses before the handshake, see README) and
    the parser's own reason as `parse_error`."""
    answers = {name: {} for name, _ in cases}
    for line in ("17", "21", "25"):
        java = os.environ.get("JAVA_" + line)
        if not java:
            continue
        o = run.Oracle(java)
        for name, c in cases:
            j = o.ask(c)
            ans = {"version": o.version, "outcome": j["outcome"], "message": j["message"]}
            if j["detail"] == "parse":
                ans["message"] = run.expected_message(j, o.version)
                ans["parse_error"] = j["message"].split(": ", 1)[-1]
            answers[name][line] = ans
        o.close()
    for name, c in cases:
        d = os.path.join(out, name)
        run.write_chain_files(d, c)
        with open(os.path.join(d, "case.json"), "w") as f:
            json.dump({"host": c["host"], "at_ms": c.get("at_ms", c["at"] * 1000), "tls": c["tls"],
                       "ident": c["ident"], "notes": c["notes"], "java": answers[name]},
                      f, indent=2, ensure_ascii=False)
            f.write("\n")
        print(name, {k: (v["outcome"], v["message"][:90]) for k, v in answers[name].items()})

if __name__ == "__main__":
    main()
