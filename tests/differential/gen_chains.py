#!/usr/bin/env python3
"""Seeded, reproducible generator of random certificate-chain cases for the
imap-doctor <-> JSSE differential test.

Wide rather than tuned: every knob is drawn at random for every certificate,
so most cases carry zero to a few oddities at once. Knobs added later (name
forms beyond DNS/IP/directory/e-mail in SANs and name constraints,
serial-number and version oddities, duplicate and undecodable extensions,
a non-critical SAN on an empty subject) draw from a second random stream,
so the first stream's draws stay what they were (see README.md).

    python3 gen_chains.py --seed 1 --count 300 --out cases.jsonl

One case (a JSON object per line):
    seed, index      reproduce it: gen_case(seed, index, pool)
    tls              "1.2" | "1.3"
    ident            "HTTPS" | "NONE"   (endpoint identification)
    host             the name the client connects to (may be UTF-8 / an IP)
    at               validation time, epoch seconds
    chain            PEM certificates as the server sends them, leaf first
    anchors          PEM certificates of the trust store
    leaf_key         base64 PKCS#8 of the leaf key (the oracle's server uses it)
    leaf_key_alg     RSA | EC | Ed25519 | DSA
    server_chain     [] or [leaf PEM]: what the oracle's server presents when
                     chain[0] is not the leaf (shuffled chains)
    notes            what the generator did (for humans)

Keys: key generation cannot be seeded, so a key pool is generated once per
seed and cached in tests/differential/.cache/keys-<seed>.json; the seeded RNG
picks keys from it by index. With the same cache file, the same seed gives
the same cases (ECDSA/DSA signature bytes aside). Disagreements are saved with
their PEMs anyway.
"""

import argparse
import base64
import datetime as dt
import ipaddress
import json
import os
import random
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, ".cache")
BASE_TIME = int(dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc).timestamp())
DAY = 86400

# ----------------------------------------------------------------- key pool

POOL_SPEC = [
    # (kind, param, how many)
    ("RSA", 2048, 14),
    ("RSA", 1024, 3),
    ("RSA", 3072, 2),
    ("RSA", 4096, 2),
    ("RSA", 8192, 1),
    ("EC", "P-256", 10),
    ("EC", "P-384", 3),
    ("EC", "P-521", 3),
    ("Ed25519", None, 3),
    ("DSA", 2048, 2),
    ("DSA", 1024, 1),
]

CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}


def _gen_key(kind, param):
    if kind == "RSA":
        return rsa.generate_private_key(65537, param)
    if kind == "EC":
        return ec.generate_private_key(CURVES[param]())
    if kind == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "DSA":
        return dsa.generate_private_key(param)
    raise ValueError(kind)


def load_pool(seed):
    """{(kind, param): [private keys]} cached per seed."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, "keys-%s.json" % seed)
    stored = {}
    if os.path.exists(path):
        with open(path) as f:
            stored = json.load(f)
    changed = False
    pool = {}
    for kind, param, n in POOL_SPEC:
        tag = "%s-%s" % (kind, param)
        pems = stored.get(tag, [])
        while len(pems) < n:
            k = _gen_key(kind, param)
            pems.append(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode())
            changed = True
        stored[tag] = pems
        pool[(kind, param)] = [serialization.load_pem_private_key(p.encode(), None) for p in pems[:n]]
    if changed:
        with open(path + ".tmp", "w") as f:
            json.dump(stored, f)
        os.replace(path + ".tmp", path)
    return pool


def key_alg(k):
    if isinstance(k, rsa.RSAPrivateKey):
        return "RSA"
    if isinstance(k, ec.EllipticCurvePrivateKey):
        return "EC"
    if isinstance(k, ed25519.Ed25519PrivateKey):
        return "Ed25519"
    if isinstance(k, dsa.DSAPrivateKey):
        return "DSA"
    raise ValueError(k)


# ------------------------------------------------------------- tiny DER

def _len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + _len(len(body)) + body


def read_tlv(b, i):
    """(tag, header_len, body_len) of the element at b[i]."""
    tag = b[i]
    l = b[i + 1]
    if l < 0x80:
        return tag, 2, l
    n = l & 0x7F
    return tag, 2 + n, int.from_bytes(b[i + 2:i + 2 + n], "big")


def split_seq(b):
    """Elements (raw TLV bytes) of a DER SEQUENCE."""
    tag, h, l = read_tlv(b, 0)
    out, i, end = [], h, h + l
    while i < end:
        _, hh, ll = read_tlv(b, i)
        out.append(b[i:i + hh + ll])
        i += hh + ll
    return out


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(reversed(enc))
    return tlv(0x06, body)


NULL = b"\x05\x00"
# Signature algorithms cryptography refuses to sign with: DER surgery.
LEGACY_SIG = {
    ("RSA", "md5"): (oid("1.2.840.113549.1.1.4") + NULL, hashes.MD5()),
    ("RSA", "sha1"): (oid("1.2.840.113549.1.1.5") + NULL, hashes.SHA1()),
    ("EC", "sha1"): (oid("1.2.840.10045.4.1"), hashes.SHA1()),
    ("DSA", "sha1"): (oid("1.2.840.10040.4.3"), hashes.SHA1()),
}


def resign_legacy(cert_der, issuer_key, alg_body, h):
    """Rewrite a certificate's signature algorithm to alg_body and re-sign."""
    tbs, _, _ = split_seq(cert_der)
    els = split_seq(tbs)
    algid = tlv(0x30, alg_body)
    # tbs: [0] version, serial, signature AlgorithmIdentifier, ...
    idx = 2 if els[0][0] == 0xA0 else 1
    els[idx] = algid
    new_tbs = tlv(0x30, b"".join(els))
    kind = key_alg(issuer_key)
    if kind == "RSA":
        sig = issuer_key.sign(new_tbs, padding.PKCS1v15(), h)
    elif kind == "EC":
        sig = issuer_key.sign(new_tbs, ec.ECDSA(h))
    elif kind == "DSA":
        sig = issuer_key.sign(new_tbs, h)
    else:
        raise ValueError(kind)
    return tlv(0x30, new_tbs + algid + tlv(0x03, b"\x00" + sig))


SIG_BY_OID = {}
for _dotted, _kind, _h in [
        ("1.2.840.113549.1.1.4", "RSA", hashes.MD5), ("1.2.840.113549.1.1.5", "RSA", hashes.SHA1),
        ("1.2.840.113549.1.1.14", "RSA", hashes.SHA224), ("1.2.840.113549.1.1.11", "RSA", hashes.SHA256),
        ("1.2.840.113549.1.1.12", "RSA", hashes.SHA384), ("1.2.840.113549.1.1.13", "RSA", hashes.SHA512),
        ("1.2.840.10045.4.1", "EC", hashes.SHA1), ("1.2.840.10045.4.3.1", "EC", hashes.SHA224),
        ("1.2.840.10045.4.3.2", "EC", hashes.SHA256), ("1.2.840.10045.4.3.3", "EC", hashes.SHA384),
        ("1.2.840.10045.4.3.4", "EC", hashes.SHA512), ("1.2.840.10040.4.3", "DSA", hashes.SHA1),
        ("2.16.840.1.101.3.4.3.1", "DSA", hashes.SHA224), ("2.16.840.1.101.3.4.3.2", "DSA", hashes.SHA256),
        ("1.3.101.112", "Ed25519", None)]:
    SIG_BY_OID[oid(_dotted)] = (_kind, _h)


def resign_tbs(cert_der, issuer_key, tbs_els):
    """The certificate with TBS elements `tbs_els`, signed again with its own
    signature algorithm; None for RSASSA-PSS (its parameters are not parsed)."""
    _, algid, _ = split_seq(cert_der)
    spec = SIG_BY_OID.get(split_seq(algid)[0])
    if spec is None:
        return None
    kind, h = spec
    tbs = tlv(0x30, b"".join(tbs_els))
    if kind == "RSA":
        sig = issuer_key.sign(tbs, padding.PKCS1v15(), h())
    elif kind == "EC":
        sig = issuer_key.sign(tbs, ec.ECDSA(h()))
    elif kind == "DSA":
        sig = issuer_key.sign(tbs, h())
    else:
        sig = issuer_key.sign(tbs)
    return tlv(0x30, tbs + algid + tlv(0x03, b"\x00" + sig))


def odd_encoding(x, der, issuer_key, role, notes):
    """Serial-number, version and extension oddities by DER surgery, drawn
    from the extra stream `x`: zero, negative, 21-32-byte and non-minimal
    serials; v1 and v2 certificates (no extensions), a v1 certificate that
    keeps its extensions, an explicit v1 version, version 4; a duplicate
    extension; a known extension whose value is garbage (critical or not)."""
    tbs, _, _ = split_seq(der)
    els = split_seq(tbs)
    has_v = els[0][0] == 0xA0
    si = 1 if has_v else 0
    changed = []
    p = x.random()
    if p < 0.04:
        kind = x.choice(["zero", "negative", "long", "nonminimal"])
        if kind == "zero":
            body = b"\x00"
        elif kind == "negative":
            body = bytes([0x80 | x.randrange(0x80)]) + bytes(x.randrange(256) for _ in range(x.randint(0, 8)))
        elif kind == "long":
            body = bytes([x.randint(1, 0x7F)]) + bytes(x.randrange(256) for _ in range(x.randint(20, 31)))
        else:
            body = b"\x00" + bytes([x.randint(1, 0x7F)]) + bytes(x.randrange(256) for _ in range(7))
        els[si] = tlv(0x02, body)
        changed.append("serial:" + kind)
    p = x.random()
    vp = 0.05 if role == "leaf" else 0.03
    exts_at = [i for i, e in enumerate(els) if e[0] == 0xA3]
    if p < vp:
        kind = x.choice(["v1", "v1", "v2", "v1-with-exts", "explicit-v1", "v4"])
        body = els[si:]
        if kind in ("v1", "v2", "explicit-v1"):
            body = [e for e in body if e[0] != 0xA3]
        if kind == "v2":
            body = [tlv(0xA0, tlv(0x02, b"\x01"))] + body
        elif kind == "explicit-v1":
            body = [tlv(0xA0, tlv(0x02, b"\x00"))] + body
        elif kind == "v4":
            body = [tlv(0xA0, tlv(0x02, b"\x03"))] + body
        els = body
        changed.append("version:" + kind)
        exts_at = [i for i, e in enumerate(els) if e[0] == 0xA3]
    if exts_at and x.random() < 0.03:
        i = exts_at[0]
        seq = els[i][read_tlv(els[i], 0)[1]:]
        exts = split_seq(seq)
        if x.random() < 0.35:
            exts.append(exts[x.randrange(len(exts))])
            changed.append("dup-extension")
        else:
            # KU, BC, EKU or SAN with a NULL as its value.
            targets = [j for j, e in enumerate(exts) if split_seq(e)[0] in (oid("2.5.29.15"), oid("2.5.29.19"),
                                                                           oid("2.5.29.37"), oid("2.5.29.17"))]
            if targets:
                j = x.choice(targets)
                parts = split_seq(exts[j])
                parts[-1] = tlv(0x04, NULL)
                exts[j] = tlv(0x30, b"".join(parts))
                changed.append("garbled-ext:%s%s" % (
                    {0x0F: "ku", 0x13: "bc", 0x25: "eku", 0x11: "san"}[parts[0][-1]],
                    ",critical" if len(parts) == 3 else ""))
        els[i] = tlv(0xA3, tlv(0x30, b"".join(exts)))
    if not changed:
        return der
    out = resign_tbs(der, issuer_key, els)
    if out is None:
        return der
    notes.extend(changed)
    return out


def raw_san(entries):
    """SubjectAltName value with raw (possibly non-ASCII) dNSName bytes."""
    return tlv(0x30, b"".join(tlv(0x82, e.encode("utf-8")) for e in entries))


# ------------------------------------------------------------- names/hosts

DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "example.co.uk", "example.test"]
LABELS = ["mail", "imap", "mx1", "foo", "exch", "a", "outlook"]


def dn(cn, org=None, ou=None, printable=False, upper=False):
    if upper:
        cn = cn.upper()
    attrs = []
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    if printable:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn, _type=x509.name._ASN1Type.PrintableString))
    else:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def pick_names(r):
    """Leaf identity: (cn, dns_sans, ip_sans, raw_dns_sans, host, note)."""
    dom = r.choice(DOMAINS)
    lab = r.choice(LABELS)
    fq = lab + "." + dom
    ip4 = "192.0.2.%d" % r.randint(1, 250)
    ip6 = "2001:db8::%x" % r.randint(1, 4000)
    kind = r.choices(
        ["exact", "wild", "partial", "tld", "star", "multiwild", "midwild", "ip", "ip6", "ip_as_dns", "ip_cn",
         "underscore", "idn_san", "idn_cn", "idn_raw", "cn_only", "cn_plus_san", "ip_only_san_dns_host",
         "case_dot", "empty_subject"],
        [18, 12, 5, 4, 2, 3, 2, 5, 2, 3, 2, 4, 4, 3, 1, 6, 5, 3, 4, 2])[0]
    cn, dns, ips, raw = fq, [fq], [], None
    host = fq
    if kind == "wild":
        dns = ["*." + dom]
        host = r.choice([fq, dom, "x.y." + dom, fq.upper()])
    elif kind == "partial":
        dns = ["f*." + dom]
        host = r.choice(["foo." + dom, "bar." + dom, "f." + dom])
    elif kind == "tld":
        tld = dom.rsplit(".", 1)[1]
        dns = ["*." + tld]
        host = r.choice([dom.split(".")[-2] + "." + tld, fq])
    elif kind == "star":
        dns = ["*"]
        host = r.choice([fq, "localhost"])
    elif kind == "multiwild":
        dns = ["*.*." + dom]
        host = r.choice(["a.b." + dom, fq])
    elif kind == "midwild":
        dns = [lab + ".*." + dom.split(".", 1)[-1] if dom.count(".") > 1 else lab + ".*." + dom]
        host = r.choice([fq, lab + ".x." + dom])
    elif kind == "ip":
        ips = [ip4]
        dns = r.choice([[], [fq]])
        host = r.choice([ip4, ip4, "192.0.2.251"])
    elif kind == "ip6":
        ips = [ip6]
        dns = []
        host = r.choice([ip6, "[%s]" % ip6, "2001:db8:0:0:0:0:0:%x" % int(ip6.rsplit(":", 1)[1], 16)])
    elif kind == "ip_as_dns":
        dns = [ip4]
        host = ip4
    elif kind == "ip_cn":
        cn, dns = ip4, []
        host = ip4
    elif kind == "underscore":
        u = lab + "_1." + dom
        cn, dns = u, r.choice([[u], ["*." + dom]])
        host = u
    elif kind == "idn_san":
        dns = ["xn--bcher-kva." + dom]
        host = r.choice(["bücher." + dom, "xn--bcher-kva." + dom, "BÜCHER." + dom])
    elif kind == "idn_cn":
        cn, dns = "bücher." + dom, []
        host = r.choice(["bücher." + dom, "xn--bcher-kva." + dom])
    elif kind == "idn_raw":
        dns, raw = [], ["bücher." + dom]
        host = "bücher." + dom
    elif kind == "cn_only":
        dns = []
        host = r.choice([fq, fq, "other." + dom])
    elif kind == "cn_plus_san":
        dns = ["other." + dom]
        host = r.choice([fq, "other." + dom])
    elif kind == "ip_only_san_dns_host":
        ips, dns = [ip4], []
        host = fq
    elif kind == "case_dot":
        host = r.choice([fq.upper(), fq + ".", lab.capitalize() + "." + dom])
        dns = r.choice([[fq], [fq + "."], [fq.upper()]])
    elif kind == "empty_subject":
        cn = None
    if kind in ("exact", "empty_subject") and r.random() < 0.15:
        host = "wrong." + dom
    return cn, dns, ips, raw, host, "names:" + kind


# ------------------------------------------------------------- certificates

class Node:
    def __init__(self, name, key):
        self.name = name
        self.key = key
        self.cert = None
        self.der = None
        self.notes = []


def pick_key(r, pool, leaf=False):
    kinds = [(("RSA", 2048), 50), (("RSA", 1024), 3), (("RSA", 3072), 3), (("RSA", 4096), 3),
             (("RSA", 8192), 1), (("EC", "P-256"), 22), (("EC", "P-384"), 6), (("EC", "P-521"), 4),
             (("Ed25519", None), 3), (("DSA", 2048), 3), (("DSA", 1024), 1)]
    k = r.choices([a for a, _ in kinds], [w for _, w in kinds])[0]
    return r.choice(pool[k]), "%s-%s" % k


def validity(r, at, role, notes):
    """(not_before, not_after) around at."""
    p = r.random()
    bad = {"leaf": (0.06, 0.04), "ca": (0.03, 0.02), "root": (0.05, 0.02)}[role]
    if p < bad[0]:
        nb, na = at - r.randint(400, 3000) * DAY, at - r.randint(1, 300) * DAY
        notes.append("expired")
    elif p < bad[0] + bad[1]:
        nb, na = at + r.randint(1, 200) * DAY, at + r.randint(300, 900) * DAY
        notes.append("not-yet-valid")
    elif p < bad[0] + bad[1] + 0.02:
        # boundary: the case time is the very first or last second
        if r.random() < 0.5:
            nb, na = at, at + 365 * DAY
            notes.append("nb=at")
        else:
            nb, na = at - 365 * DAY, at
            notes.append("na=at")
    else:
        nb, na = at - r.randint(1, 2000) * DAY, at + r.randint(1, 3000) * DAY
    return (dt.datetime.fromtimestamp(nb, dt.timezone.utc), dt.datetime.fromtimestamp(na, dt.timezone.utc))


def random_nc(r, leaf_dns, leaf_ips, leaf_dn, notes, x=None):
    """A NameConstraints extension (or None) that may or may not fit the leaf.

    With the extra stream `x`, 40% of them also get a subtree of a rarer name
    form: URI, otherName (UPN), registeredID, x400Address or ediPartyName
    (the last two as raw DER: `cryptography` cannot build them). Java refuses
    to compare otherName, x400Address and ediPartyName names with one another,
    and registeredIDs other than equal ones."""
    kinds = r.sample(["dns", "ip", "dir", "email"], r.randint(1, 2))
    permitted, excluded = [], []
    for k in kinds:
        target = r.choice(["permitted", "excluded"])
        lst = permitted if target == "permitted" else excluded
        if k == "dns":
            base = leaf_dns[0] if leaf_dns else "example.com"
            base = base.lstrip("*.").split(".", 1)[-1] if r.random() < 0.6 else r.choice(DOMAINS)
            if "*" in base or not base.strip("."):
                base = "example.com"
            if r.random() < 0.2:
                base = "." + base
            try:
                lst.append(x509.DNSName(base))
            except ValueError:
                lst.append(x509.DNSName("example.com"))
        elif k == "ip":
            net = r.choice(["192.0.2.0/24", "198.51.100.0/24", "10.0.0.0/8", "2001:db8::/32"])
            lst.append(x509.IPAddress(ipaddress.ip_network(net)))
        elif k == "dir":
            lst.append(x509.DirectoryName(r.choice([
                x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Diff")]),
                x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Other")]),
                leaf_dn])))
        else:
            lst.append(x509.RFC822Name(r.choice(["example.com", ".example.com", "admin@example.com"])))
        notes.append("nc:%s-%s" % (target, k))
    raw = None
    if x is not None and x.random() < 0.4:
        k = x.choice(["uri", "uri", "othername", "rid", "x400", "edi"])
        target = x.choice(["permitted", "excluded"])
        lst = permitted if target == "permitted" else excluded
        if k == "uri":
            lst.append(x509.UniformResourceIdentifier(x.choice([".example.com", "example.com", "mail.example.org",
                                                                "example.test", ".example.net"])))
        elif k == "othername":
            lst.append(x509.OtherName(UPN_OID, tlv(0x0C, x.choice(["example.com", "user@example.com"]).encode())))
        elif k == "rid":
            lst.append(x509.RegisteredID(x509.ObjectIdentifier(x.choice(["1.3.6.1.4.1.55555.7", "1.3.6.1.4.1.55555.8"]))))
        else:
            raw = (target, X400_NAME if k == "x400" else EDI_NAME)
        notes.append("nc:%s-%s" % (target, k))
    nc = x509.NameConstraints(permitted_subtrees=permitted or None, excluded_subtrees=excluded or None) \
        if permitted or excluded else None
    if raw is None:
        return nc
    # Append a GeneralSubtree with the raw name to the [0] or [1] list.
    tag = 0xA0 if raw[0] == "permitted" else 0xA1
    parts = split_seq(nc.public_bytes()) if nc is not None else []
    subtree = tlv(0x30, raw[1])
    if any(p[0] == tag for p in parts):
        parts = [tlv(tag, p[read_tlv(p, 0)[1]:] + subtree) if p[0] == tag else p for p in parts]
    else:
        parts = sorted(parts + [tlv(tag, subtree)], key=lambda p: p[0])
    return x509.UnrecognizedExtension(x509.oid.ExtensionOID.NAME_CONSTRAINTS, tlv(0x30, b"".join(parts)))


UPN_OID = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")
# x400Address [3] holding an ORAddress with empty built-in standard attributes;
# ediPartyName [5] with partyName [1] "Diff".
X400_NAME = tlv(0xA3, tlv(0x30, b""))
EDI_NAME = tlv(0xA5, tlv(0xA1, tlv(0x0C, b"Diff")))




def sign_cert(r, builder, issuer_key, notes, allow_legacy=True):
    kind = key_alg(issuer_key)
    choice = r.choices(["sha256", "sha384", "sha512", "sha224", "sha1", "md5", "pss"],
                       [70, 8, 5, 3, 6, 3, 5])[0]
    if kind == "Ed25519":
        c = builder.sign(issuer_key, None)
        return c.public_bytes(serialization.Encoding.DER)
    if kind == "DSA" and choice not in ("sha256", "sha224", "sha1"):
        choice = "sha256"
    if kind == "EC" and choice in ("md5", "pss"):
        choice = "sha256"
    if kind != "RSA" and choice == "pss":
        choice = "sha256"
    if choice in ("sha1", "md5"):
        if (kind, choice) not in LEGACY_SIG or not allow_legacy:
            choice = "sha256"
    hmap = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512(),
            "sha224": hashes.SHA224(), "sha1": hashes.SHA256(), "md5": hashes.SHA256()}
    if choice == "pss":
        h = r.choice([hashes.SHA256(), hashes.SHA384()])
        salt = r.choice([padding.PSS.DIGEST_LENGTH, 20, 32])
        c = builder.sign(issuer_key, h, rsa_padding=padding.PSS(padding.MGF1(h), salt))
        der = c.public_bytes(serialization.Encoding.DER)
        notes.append("sig:pss-%s" % h.name)
        return der
    c = builder.sign(issuer_key, hmap[choice])
    der = c.public_bytes(serialization.Encoding.DER)
    if choice in ("sha1", "md5"):
        alg, h = LEGACY_SIG[(kind, choice)]
        der = resign_legacy(der, issuer_key, alg, h)
    if choice != "sha256":
        notes.append("sig:%s" % choice)
    return der


def make_cert(r, subject_node, issuer_node, issuer_name, at, role, ext_opts, notes):
    """role: root | ca | leaf. ext_opts: dict of pre-decided extension choices."""
    b = x509.CertificateBuilder()
    b = b.subject_name(subject_node.name).issuer_name(issuer_name)
    b = b.public_key(subject_node.key.public_key()).serial_number(r.getrandbits(63) + 1)
    nb, na = ext_opts.get("validity") or validity(r, at, role, notes)
    b = b.not_valid_before(nb).not_valid_after(na)
    for ext, crit in ext_opts.get("exts", []):
        b = b.add_extension(ext, critical=crit)
    # key identifiers
    kid = r.random()
    if kid < 0.85:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_node.key.public_key()), False)
        if role != "root" or r.random() < 0.5:
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_node.key.public_key()), False)
    elif kid < 0.92:
        notes.append("no-keyids")
    elif kid < 0.95:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_node.key.public_key()), False)
        b = b.add_extension(x509.AuthorityKeyIdentifier(bytes(r.getrandbits(8) for _ in range(20)), None, None), False)
        notes.append("aki-mismatch")
    else:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_node.key.public_key()), False)
        notes.append("ski-only")
    return sign_cert(r, b, issuer_node.key, notes)


def ca_exts(r, role, leaf_dns, leaf_ips, leaf_dn, notes, x=None):
    exts = []
    p = r.random()
    if p < 0.84:
        exts.append((x509.BasicConstraints(ca=True, path_length=None), True))
    elif p < 0.88:
        notes.append("bc:absent")
    elif p < 0.91:
        exts.append((x509.BasicConstraints(ca=False, path_length=None), r.random() < 0.5))
        notes.append("bc:ca-false")
    else:
        pl = r.randint(0, 3)
        exts.append((x509.BasicConstraints(ca=True, path_length=pl), True))
        notes.append("bc:pathlen%d" % pl)
    p = r.random()
    if p < 0.84:
        exts.append((x509.KeyUsage(r.random() < 0.3, False, False, False, False, True, True, False, False), True))
    elif p < 0.93:
        notes.append("ku:absent")
    elif p < 0.97:
        exts.append((x509.KeyUsage(True, False, False, False, False, False, True, False, False), True))
        notes.append("ku:no-keyCertSign")
    else:
        exts.append((x509.KeyUsage(True, False, True, False, False, True, False, False, False), False))
        notes.append("ku:noncritical")
    p = r.random()
    if p < 0.04:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False))
        notes.append("eku:clientAuth")
    elif p < 0.08:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), False))
    elif p < 0.10:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE]), False))
        notes.append("eku:any")
    if r.random() < (0.12 if role == "root" else 0.10):
        nc = random_nc(r, leaf_dns, leaf_ips, leaf_dn, notes, x)
        crit = r.random() < 0.85
        if nc is not None:
            exts.append((nc, crit))
    if r.random() < 0.03:
        exts.append((x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1.%d" % r.randint(1, 9)),
                                                b"\x05\x00"), True))
        notes.append("unknown-critical")
    return exts


def leaf_exts(r, cn, dns, ips, raw, notes, leaf_kind, x=None):
    exts = []
    p = r.random()
    if p < 0.25:
        exts.append((x509.BasicConstraints(ca=False, path_length=None), r.random() < 0.5))
    elif p < 0.29:
        exts.append((x509.BasicConstraints(ca=True, path_length=None), True))
        notes.append("leaf-bc:ca-true")
    p = r.random()
    ds_ke = leaf_kind == "RSA"
    if p < 0.68:
        exts.append((x509.KeyUsage(True, False, ds_ke, False, False, False, False, False, False), True))
    elif p < 0.84:
        notes.append("leaf-ku:absent")
    elif p < 0.88:
        if leaf_kind == "RSA":
            exts.append((x509.KeyUsage(False, False, True, False, False, False, False, False, False), True))
            notes.append("leaf-ku:keyEncipherment-only")
        else:
            exts.append((x509.KeyUsage(False, False, False, False, True, False, False, False, False), True))
            notes.append("leaf-ku:keyAgreement-only")
    elif p < 0.92:
        exts.append((x509.KeyUsage(True, False, False, False, False, False, False, False, False), True))
        notes.append("leaf-ku:digitalSignature-only")
    elif p < 0.96:
        exts.append((x509.KeyUsage(False, False, False, False, False, True, True, False, False), True))
        notes.append("leaf-ku:keyCertSign-only")
    else:
        exts.append((x509.KeyUsage(False, True, False, False, False, False, False, False, False), False))
        notes.append("leaf-ku:nonRepudiation-only")
    p = r.random()
    if p < 0.72:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                                           if r.random() < 0.5 else [ExtendedKeyUsageOID.SERVER_AUTH]), False))
    elif p < 0.86:
        notes.append("leaf-eku:absent")
    elif p < 0.91:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), r.random() < 0.3))
        notes.append("leaf-eku:clientAuth-only")
    elif p < 0.96:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE]), False))
        notes.append("leaf-eku:any")
    else:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False))
        notes.append("leaf-eku:emailProtection")
    gn = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    san_crit = cn is None
    if x is not None:
        # Other name forms in the SAN (for name constraints of those forms,
        # and a SAN without any DNS or IP name for the host check).
        if x.random() < 0.15:
            for k in x.sample(["email", "uri", "upn", "rid", "dir"], x.randint(1, 2)):
                if k == "email":
                    gn.append(x509.RFC822Name(x.choice(["admin@example.com", "user@mail.example.org", "a@b.test"])))
                elif k == "uri":
                    gn.append(x509.UniformResourceIdentifier(x.choice(["https://mail.example.com/",
                                                                       "ldap://host.example.net", "urn:x:y"])))
                elif k == "upn":
                    gn.append(x509.OtherName(UPN_OID, tlv(0x0C, b"user@example.com")))
                elif k == "rid":
                    gn.append(x509.RegisteredID(x509.ObjectIdentifier("1.3.6.1.4.1.55555.7")))
                else:
                    gn.append(x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                                                               x.choice(["Diff", "Other"]))])))
                notes.append("san+" + k)
        # RFC 5280 wants the SAN critical when the subject is empty; Java
        # refuses to parse the certificate otherwise.
        if cn is None and gn and x.random() < 0.3:
            san_crit = False
            notes.append("empty-subject-san-noncritical")
    if raw:
        exts.append((x509.UnrecognizedExtension(x509.oid.ExtensionOID.SUBJECT_ALTERNATIVE_NAME, raw_san(raw)), False))
    elif gn:
        exts.append((x509.SubjectAlternativeName(gn), san_crit))
    if r.random() < 0.04:
        exts.append((x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.2.%d" % r.randint(1, 9)),
                                                b"\x05\x00"), True))
        notes.append("leaf-unknown-critical")
    return exts


def pem(der):
    b = base64.b64encode(der).decode()
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) + \
        "\n-----END CERTIFICATE-----\n"


def gen_case(seed, index, pool):
    r = random.Random("imap-doctor-diff:%s:%d" % (seed, index))
    # Knobs added after seeds 1 and 2 were published draw from their own
    # stream, so `r` (and every case where they do not fire) stays as it was.
    x = random.Random("imap-doctor-diff-x:%s:%d" % (seed, index))
    notes = []
    at = BASE_TIME + r.randint(-200, 200) * DAY + r.randint(0, DAY - 1)
    uid = "%s.%d" % (seed, index)
    # number of CA levels above the leaf (0: self-signed leaf)
    levels = r.choices([0, 1, 2, 3, 4, 5, 6, 7], [4, 22, 34, 18, 8, 6, 4, 4])[0]
    notes.append("levels:%d" % levels)

    cn, dns, ips, raw, host, nnote = pick_names(r)
    notes.append(nnote)
    leaf_key, leaf_kt = pick_key(r, pool, leaf=True)
    leaf_kind = key_alg(leaf_key)
    notes.append("leafkey:" + leaf_kt)
    leaf_name = dn(cn, org="Diff Leaf") if cn is not None else x509.Name([])
    if x.random() < 0.06:
        # an emailAddress in the subject: Java's name constraints take it as
        # an rfc822 name when there is no SAN
        leaf_name = x509.Name(list(leaf_name) + [x509.NameAttribute(
            NameOID.EMAIL_ADDRESS, x.choice(["admin@example.com", "user@mail.example.org", "a@b.test"]))])
        notes.append("leaf-subject-email")
    leaf = Node(leaf_name, leaf_key)

    # CA hierarchy: cas[0] = root ... cas[-1] = leaf's issuer
    cas = []
    for lvl in range(levels):
        k, kt = pick_key(r, pool)
        name = dn("Diff %s %d %s" % ("Root" if lvl == 0 else "CA", lvl, uid), org="Diff",
                  ou=r.choice([None, None, "PKI"]))
        n = Node(name, k)
        n.kt = kt
        cas.append(n)
    for lvl, n in enumerate(cas):
        role = "root" if lvl == 0 else "ca"
        issuer = cas[lvl - 1] if lvl else n
        cnotes = []
        exts = ca_exts(r, role, dns, ips, leaf_name, cnotes, x)
        issuer_name = issuer.name
        if lvl and r.random() < 0.04:
            # same name, other encoding or case: Java compares canonical forms
            attrs = list(issuer.name)
            cnv = attrs[-1].value
            if r.random() < 0.5:
                issuer_name = x509.Name(attrs[:-1] + [x509.NameAttribute(NameOID.COMMON_NAME, cnv.upper())])
                cnotes.append("issuer-dn:upper")
            else:
                issuer_name = x509.Name(attrs[:-1] + [x509.NameAttribute(NameOID.COMMON_NAME, cnv,
                                                                           _type=x509.name._ASN1Type.PrintableString)])
                cnotes.append("issuer-dn:printable")
        n.der = make_cert(r, n, issuer, issuer_name, at, role, {"exts": exts}, cnotes)
        n.der = odd_encoding(x, n.der, issuer.key, role, cnotes)
        n.notes = cnotes
        notes.extend("%s%d:%s" % ("root" if lvl == 0 else "ca", lvl, c) for c in cnotes)
        notes.append("%s%d-key:%s" % ("root" if lvl == 0 else "ca", lvl, n.kt))

    lnotes = []
    issuer = cas[-1] if cas else leaf
    lexts = leaf_exts(r, cn, dns, ips, raw, lnotes, leaf_kind, x)
    leaf.der = make_cert(r, leaf, issuer, issuer.name, at, "leaf", {"exts": lexts}, lnotes)
    leaf.der = odd_encoding(x, leaf.der, issuer.key, "leaf", lnotes)
    notes.extend("leaf:" + c for c in lnotes)

    # ------------------------------------------------ extra certificates
    extras = []  # (der, note)
    anchors = []
    # cross-signed: another root signs one of the CAs (same name and key)
    cross_root = None
    if cas and r.random() < 0.10:
        k2, _ = pick_key(r, pool)
        cross_root = Node(dn("Diff Cross Root %s" % uid, org="Diff"), k2)
        cn2 = []
        cross_root.der = make_cert(r, cross_root, cross_root, cross_root.name, at, "root",
                                   {"exts": [(x509.BasicConstraints(ca=True, path_length=None), True),
                                             (x509.KeyUsage(False, False, False, False, False, True, True, False,
                                                            False), True)]}, cn2)
        target = r.randrange(len(cas))
        xn = []
        xcert = make_cert(r, cas[target], cross_root, cross_root.name, at, "ca",
                          {"exts": [(x509.BasicConstraints(ca=True, path_length=None), True),
                                    (x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                     True)]}, xn)
        extras.append((xcert, "cross-cert-of-%d" % target))
        notes.append("cross-signed:ca%d%s" % (target, "".join("," + x for x in xn)))
    # re-keyed CA: same subject name, different key
    rekeyed = None
    if cas and r.random() < 0.08:
        target = r.randrange(len(cas))
        k3, _ = pick_key(r, pool)
        rk = Node(cas[target].name, k3)
        issuer = cas[target - 1] if target else rk
        rn = []
        rk.der = make_cert(r, rk, issuer, issuer.name, at, "root" if target == 0 else "ca",
                           {"exts": [(x509.BasicConstraints(ca=True, path_length=None), True)]}, rn)
        rekeyed = (target, rk)
        notes.append("rekeyed:ca%d" % target)

    # ------------------------------------------------ what the server sends
    inter = [n.der for n in reversed(cas[1:])]  # leaf's issuer first
    root_der = cas[0].der if cas else None
    p = r.random()
    sent = [leaf.der] + inter
    if p < 0.58:
        notes.append("send:ordered")
    elif p < 0.70 and root_der:
        sent = sent + [root_der]
        notes.append("send:with-root")
    elif p < 0.78 and len(inter) > 1:
        mid = inter[:]
        r.shuffle(mid)
        sent = [leaf.der] + mid
        notes.append("send:shuffled")
    elif p < 0.84 and inter:
        drop = r.randrange(len(inter))
        sent = [leaf.der] + inter[:drop] + inter[drop + 1:]
        notes.append("send:missing-intermediate-%d" % drop)
    elif p < 0.88:
        k4, _ = pick_key(r, pool)
        stranger = Node(dn("Stranger %s" % uid, org="Elsewhere"), k4)
        stranger.der = make_cert(r, stranger, stranger, stranger.name, at, "root",
                                 {"exts": [(x509.BasicConstraints(ca=True, path_length=None), True)]}, [])
        sent = sent[:]
        sent.insert(r.randint(1, len(sent)), stranger.der)
        notes.append("send:extra-unrelated")
    elif p < 0.92 and len(sent) > 1:
        sent = sent[:]
        d = r.randrange(1, len(sent))
        sent.insert(d, sent[d])
        notes.append("send:duplicate")
    elif p < 0.96:
        sent = [leaf.der]
        notes.append("send:leaf-only")
    else:
        full = [leaf.der] + inter + ([root_der] if root_der and r.random() < 0.5 else [])
        r.shuffle(full)
        sent = full
        notes.append("send:all-shuffled")
    for der, note in extras:
        if r.random() < 0.7:
            sent = sent + [der] if r.random() < 0.5 else [sent[0], der] + sent[1:]
            notes.append("send:" + note)
    if rekeyed and r.random() < 0.6:
        t, rk = rekeyed
        pos = r.randint(1, len(sent))
        sent = sent[:pos] + [rk.der] + sent[pos:]
        notes.append("send:rekeyed-at-%d" % pos)

    # ------------------------------------------------ trust store
    p = r.random()
    if not cas:
        if p < 0.55:
            anchors = [leaf.der]
            notes.append("trust:leaf")
        else:
            notes.append("trust:none")
    elif p < 0.74:
        anchors = [root_der]
        notes.append("trust:root")
    elif p < 0.82 and len(cas) > 1:
        t = r.randrange(1, len(cas))
        anchors = [cas[t].der] + ([root_der] if r.random() < 0.4 else [])
        notes.append("trust:ca%d" % t)
    elif p < 0.87:
        k5, _ = pick_key(r, pool)
        other = Node(dn("Unrelated Root %s" % uid, org="Diff"), k5)
        other.der = make_cert(r, other, other, other.name, at, "root",
                              {"exts": [(x509.BasicConstraints(ca=True, path_length=None), True)]}, [])
        anchors = [other.der]
        notes.append("trust:unrelated")
    elif p < 0.90:
        anchors = []
        notes.append("trust:empty")
    elif p < 0.94:
        anchors = [root_der, leaf.der] if r.random() < 0.3 else [leaf.der]
        notes.append("trust:leaf" if len(anchors) == 1 else "trust:root+leaf")
    else:
        anchors = [root_der]
        notes.append("trust:root")
    if cross_root is not None:
        q = r.random()
        if q < 0.45:
            anchors = anchors + [cross_root.der]
            notes.append("trust:+cross-root")
        elif q < 0.75:
            anchors = [cross_root.der]
            notes.append("trust:cross-root-only")
    if rekeyed and rekeyed[0] == 0 and r.random() < 0.5:
        anchors = [rekeyed[1].der] + anchors
        notes.append("trust:+rekeyed-root")

    # The oracle's server needs the leaf key's own certificate first; when the
    # case chain does not start with it, the server presents the leaf alone
    # and the oracle's probing trust manager substitutes the case chain.
    server_chain = [] if sent[0] == leaf.der else [pem(leaf.der)]
    tls = "1.2" if leaf_kind == "DSA" else r.choice(["1.2", "1.3"])
    ident = "HTTPS" if r.random() < 0.88 else "NONE"
    return {
        "seed": seed,
        "index": index,
        "tls": tls,
        "ident": ident,
        "host": host,
        "at": at,
        # Milliseconds after `at` for 30% of the cases (Java compares dates to
        # the millisecond: a notAfter of `at` has expired at `at` + 0.5 s). A
        # separate generator, so the rest of the case stays as it was.
        "at_ms": at * 1000 + (lambda m: m.randint(1, 999) if m.random() < 0.3 else 0)(
            random.Random("%s-%d-ms" % (seed, index))),
        "chain": [pem(d) for d in sent],
        "anchors": [pem(d) for d in anchors],
        "leaf_key": base64.b64encode(leaf_key.private_bytes(serialization.Encoding.DER,
                                                            serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption())).decode(),
        "leaf_key_alg": leaf_kind,
        "server_chain": server_chain,
        "notes": notes,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", default=os.environ.get("DIFF_SEED", "1"))
    ap.add_argument("--count", type=int, default=int(os.environ.get("DIFF_CASES", "300")))
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    pool = load_pool(a.seed)
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    for i in range(a.start, a.start + a.count):
        out.write(json.dumps(gen_case(a.seed, i, pool), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
