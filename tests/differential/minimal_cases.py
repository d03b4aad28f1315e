#!/usr/bin/env python3
"""Minimal hand-written examples of each disagreement group in README.md.
Each is run through the JsseOracle JVM and imap-doctor and both answers are
printed (fresh keys every run; the verdicts do not depend on them).

    IMAP_DOCTOR=/path/to/imap-doctor python3 tests/differential/minimal_cases.py [SAVE_DIR]

With MIN_FIXTURES=DIR (and JAVA_17 / JAVA_21 / JAVA_25 as for record.py),
group 4 (name-constraint forms Java refuses to compare, v1/v2 issuers in the
builder, an anchor's twin sent by the server) is also written to DIR as
fixed regression cases in the format of tests/fixtures/jdk-profiles.
"""
import os, sys, json, datetime as dt, base64
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_chains import *
import run
AT = int(dt.datetime(2026,11,26,tzinfo=dt.timezone.utc).timestamp())
NOW = dt.datetime(2026,1,1,tzinfo=dt.timezone.utc)
def K(kind='EC'):
    return {'EC':lambda: ec.generate_private_key(ec.SECP256R1()),'P521':lambda: ec.generate_private_key(ec.SECP521R1()),'RSA':lambda: rsa.generate_private_key(65537,2048)}[kind]()
def cert(subj, key, issuer_name, issuer_key, exts=(), nb=None, na=None, h=hashes.SHA256()):
    b = x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,subj)]) if isinstance(subj,str) else subj)
    b = b.issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,issuer_name)])).public_key(key.public_key()).serial_number(x509.random_serial_number())
    b = b.not_valid_before(nb or NOW).not_valid_after(na or NOW+dt.timedelta(days=3650))
    for e,c in exts: b=b.add_extension(e,c)
    return b.sign(issuer_key, h).public_bytes(serialization.Encoding.DER)
CA=[(x509.BasicConstraints(True,None),True),(x509.KeyUsage(False,False,False,False,False,True,True,False,False),True)]
def leafext(names): return [(x509.SubjectAlternativeName(names),False)]
def case(idx, chain, anchors, leafkey, host='mail.example.com', tls='1.3', ident='HTTPS'):
    return {'index':idx,'seed':'min','tls':tls,'ident':ident,'host':host,'at':AT,'chain':[pem(d) for d in chain],'anchors':[pem(d) for d in anchors],
            'leaf_key':base64.b64encode(leafkey.private_bytes(serialization.Encoding.DER,serialization.PrivateFormat.PKCS8,serialization.NoEncryption())).decode(),
            'leaf_key_alg':key_alg(leafkey),'notes':[]}
def go(cases):
    o=run.Oracle(os.environ.get('JAVA', 'java'))
    for name,c in cases:
        j=o.ask(c); d=run.run_doctor(EXE, c, WORK)
        print('==',name); print('  JAVA  :',j['outcome'],j['message'][:200]); print('  DOCTOR:',d.get('verdict'),d.get('java_error'))
        if SAVE:
            dd = os.path.join(SAVE, name); os.makedirs(dd, exist_ok=True)
            open(os.path.join(dd, 'chain.pem'),'w').write(''.join(c['chain'])); open(os.path.join(dd, 'trust.pem'),'w').write(''.join(c['anchors']))
            json.dump({'host': c['host'], 'at': c['at'], 'tls': c['tls'], 'ident': c['ident'], 'java': j, 'doctor': {k: v for k, v in d.items() if k != 'args'}}, open(os.path.join(dd, 'answers.json'), 'w'), indent=2, ensure_ascii=False)
    o.close()

EXE = os.environ.get('IMAP_DOCTOR') or (sys.argv[1] if len(sys.argv) > 1 and os.path.isfile(sys.argv[1]) else 'imap-doctor')
SAVE = next((a for a in sys.argv[1:] if not os.path.isfile(a)), None)
import tempfile
WORK = tempfile.mkdtemp(prefix='imap-doctor-min-')


def group1():
    rk, ik, lk = K(), K(), K()
    cases=[]
    # a: NC on the anchor, leaf outside
    nc = (x509.NameConstraints([x509.DNSName('other.org')],None),True)
    root = cert('R', rk, 'R', rk, CA+[nc]); leaf = cert('mail.example.com', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')]))
    cases.append(('nc-on-anchor', case(1,[leaf],[root],lk)))
    # b: NC on intermediate
    root = cert('R', rk, 'R', rk, CA); inter = cert('I', ik, 'R', rk, CA+[nc]); leaf = cert('mail.example.com', lk, 'I', ik, leafext([x509.DNSName('mail.example.com')]))
    cases.append(('nc-on-intermediate', case(2,[leaf,inter],[root],lk)))
    # c: expired anchor, validate mode vs build mode
    old = NOW-dt.timedelta(days=4000)
    rootx = cert('R', rk, 'R', rk, CA, nb=old, na=NOW-dt.timedelta(days=30))
    leaf = cert('mail.example.com', lk, 'I', ik, leafext([x509.DNSName('mail.example.com')]))
    inter = cert('I', ik, 'R', rk, CA)
    sk=K(); stranger = cert('S', sk, 'S', sk, CA)
    cases.append(('expired-anchor-validate', case(3,[leaf,inter],[rootx],lk)))
    cases.append(('expired-anchor-build', case(4,[leaf,stranger,inter],[rootx],lk)))
    # d: P-521 root signing with SHA-256
    pk=K('P521'); r521 = cert('R', pk, 'R', pk, CA); leaf = cert('mail.example.com', lk, 'R', pk, leafext([x509.DNSName('mail.example.com')]))
    cases.append(('p521-sha256', case(5,[leaf],[r521],lk)))
    # e: SAN with trailing dot
    leaf = cert('mail.example.com', lk, 'R', rk, leafext([x509.DNSName('mail.example.com.')])); root = cert('R', rk, 'R', rk, CA)
    cases.append(('san-trailing-dot', case(6,[leaf],[root],lk)))
    cases.append(('host-trailing-dot', case(7,[cert('mail.example.com', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')]))],[root],lk, host='mail.example.com.')))
    cases.append(('host-upper', case(8,[cert('mail.example.com', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')]))],[root],lk, host='MAIL.EXAMPLE.COM')))
    for n,t,h in [('wild-partial','f*.example.com','foo.example.com'),('wild-tld','*.com','example.com'),('wild-mid','mail.*.example.com','mail.x.example.com'),('wild-multi','*.*.example.com','a.b.example.com'),('wild-empty-part','f*.example.com','f.example.com')]:
        cases.append((n, case(9,[cert('x', lk, 'R', rk, leafext([x509.DNSName(t)]))],[root],lk, host=h)))
    cases.append(('idn-cn-unicode-host-puny', case(10,[cert('bücher.example.com', lk, 'R', rk, [])],[root],lk, host='xn--bcher-kva.example.com')))
    cases.append(('underscore-host', case(11,[cert('mail_1.example.com', lk, 'R', rk, leafext([x509.DNSName('mail_1.example.com')]))],[root],lk, host='mail_1.example.com')))
    cases.append(('no-ident-host-mismatch', case(12,[cert('x', lk, 'R', rk, leafext([x509.DNSName('other.example.com')]))],[root],lk, ident='NONE')))
    # anchor without BC / without keyCertSign
    rnb = cert('R', rk, 'R', rk, [(x509.KeyUsage(False,False,False,False,False,True,True,False,False),True)])
    cases.append(('anchor-no-bc', case(13,[cert('x', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')]))],[rnb],lk)))
    rku = cert('R', rk, 'R', rk, [(x509.BasicConstraints(True,None),True),(x509.KeyUsage(True,False,False,False,False,False,True,False,False),True)])
    cases.append(('anchor-no-keycertsign', case(14,[cert('x', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')]))],[rku],lk)))
    # leaf KU without digitalSignature, TLS1.3 and 1.2
    lku = cert('x', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')])+[(x509.KeyUsage(False,False,False,False,True,False,False,False,False),True)])
    cases.append(('leaf-ku-keyAgreement-1.3', case(15,[lku],[root],lk)))
    cases.append(('leaf-ku-keyAgreement-1.2', case(16,[lku],[root],lk, tls='1.2')))
    # unknown critical ext on leaf
    lcrit = cert('x', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')])+[(x509.UnrecognizedExtension(x509.ObjectIdentifier('1.3.6.1.4.1.55555.9'), b'\x05\x00'),True)])
    cases.append(('leaf-unknown-critical', case(17,[lcrit],[root],lk)))
    # empty trust store
    cases.append(('empty-truststore', case(18,[cert('x', lk, 'R', rk, leafext([x509.DNSName('mail.example.com')]))],[],lk)))
    go(cases)


def group2():
    rk, ik, lk, sk = K(), K(), K(), K()
    leaf = cert('mail.example.com', lk, 'I', ik, leafext([x509.DNSName('mail.example.com')]))
    inter = cert('I', ik, 'R', rk, CA)
    stranger = cert('S', sk, 'S', sk, CA)
    old = NOW-dt.timedelta(days=4000)
    rootok = cert('R', rk, 'R', rk, CA)
    rootx = cert('R', rk, 'R', rk, CA, nb=old, na=NOW-dt.timedelta(days=30))
    # root expired before the intermediate was issued vs after
    rootx2 = cert('R', rk, 'R', rk, CA, nb=old, na=dt.datetime(2026,6,1,tzinfo=dt.timezone.utc))
    go([('build-ok-anchor', case(1,[leaf,stranger,inter],[rootok],lk)),
        ('build-expired-anchor', case(2,[leaf,stranger,inter],[rootx],lk)),
        ('build-anchor-expired-after-inter-issued', case(3,[leaf,stranger,inter],[rootx2],lk)),
        ('build-expired-anchor-leafonly-missing', case(4,[leaf,inter,stranger],[rootx],lk)),
       ])


def group3():
    rk, ik, lk, sk = K(), K(), K(), K()
    SKI=lambda k:(x509.SubjectKeyIdentifier.from_public_key(k.public_key()),False)
    rootok = cert('R', rk, 'R', rk, CA+[SKI(rk)])
    inter_bad = cert('I', ik, 'R', rk, CA+[SKI(ik),(x509.AuthorityKeyIdentifier(b'\x01'*20,None,None),False)])
    leaf = cert('mail.example.com', lk, 'I', ik, leafext([x509.DNSName('mail.example.com')])+[(x509.AuthorityKeyIdentifier.from_issuer_public_key(ik.public_key()),False)])
    stranger = cert('S', sk, 'S', sk, CA)
    leaf_bad = cert('mail.example.com', lk, 'I', ik, leafext([x509.DNSName('mail.example.com')])+[(x509.AuthorityKeyIdentifier(b'\x02'*20,None,None),False)])
    inter = cert('I', ik, 'R', rk, CA+[SKI(ik)])
    go([('aki-mismatch-inter-validate', case(1,[leaf,inter_bad],[rootok],lk)),
        ('aki-mismatch-inter-build', case(2,[leaf,stranger,inter_bad],[rootok],lk)),
        ('aki-mismatch-leaf-build', case(3,[leaf_bad,stranger,inter],[rootok],lk)),
        ('aki-mismatch-leaf-validate', case(4,[leaf_bad,inter],[rootok],lk)),
       ])


def group4():
    rk, ik, lk, xk = K(), K(), K(), K()
    root = cert('R', rk, 'R', rk, CA)
    UPN = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")
    upn = x509.OtherName(UPN, tlv(0x0C, b"user@example.com"))
    dnsn = x509.DNSName('mail.example.com')

    def via(nc_ext, leaf_names, *more_ca):
        """root -> I (with nc_ext) [-> J (more_ca)] -> leaf with leaf_names."""
        inter = cert('I', ik, 'R', rk, CA + [(nc_ext, True)])
        if more_ca:
            j = cert('J', xk, 'I', ik, CA + [(more_ca[0], True)])
            leaf = cert('mail.example.com', lk, 'J', xk, leafext(leaf_names))
            return [leaf, j, inter]
        return [cert('mail.example.com', lk, 'I', ik, leafext(leaf_names)), inter]

    def raw_nc(excluded_name):
        return x509.UnrecognizedExtension(x509.oid.ExtensionOID.NAME_CONSTRAINTS,
                                          tlv(0x30, tlv(0xA1, tlv(0x30, excluded_name))))
    rid = lambda o: x509.RegisteredID(x509.ObjectIdentifier(o))
    NC = x509.NameConstraints
    cases = [
        ('min-nc-othername-vs-upn', via(NC([upn], None), [dnsn, upn])),
        ('min-nc-rid-differs', via(NC(None, [rid('1.3.6.1.4.1.55555.7')]), [dnsn, rid('1.3.6.1.4.1.55555.8')])),
        ('min-nc-rid-equal', via(NC(None, [rid('1.3.6.1.4.1.55555.7')]), [dnsn, rid('1.3.6.1.4.1.55555.7')])),
        ('min-nc-uri-urn', via(NC([x509.UniformResourceIdentifier('.example.com')], None),
                               [dnsn, x509.UniformResourceIdentifier('urn:x:y')])),
        ('min-nc-uri-domain-vs-host', via(NC([x509.UniformResourceIdentifier('.example.com')], None),
                                          [dnsn, x509.UniformResourceIdentifier('https://example.com/')])),
        ('min-nc-uri-domain-below', via(NC([x509.UniformResourceIdentifier('.example.com')], None),
                                        [dnsn, x509.UniformResourceIdentifier('https://mail.example.com/x')])),
        ('min-nc-dirname-san', via(NC(None, [x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Other')]))]),
                                   [dnsn, x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Other')]))])),
        ('min-nc-x400-twice', via(raw_nc(X400_NAME), [dnsn], raw_nc(X400_NAME))),
        ('min-nc-edi-vs-dns', via(raw_nc(EDI_NAME), [dnsn])),
    ]
    out = [(n, case(i, ch, [root], lk)) for i, (n, ch) in enumerate(cases)]
    # The same two refusals in build mode (an extra certificate sent).
    sk0 = K()
    extra = cert('S', sk0, 'S', sk0, CA)
    for i, n in ((10, 'min-nc-othername-vs-upn'), (11, 'min-nc-uri-urn')):
        ch = dict(cases)[n]
        out.append((n + '-build', case(i, [ch[0], extra] + ch[1:], [root], lk)))
    # The builder's selector and v1/v2 issuers: a v1 root that does not
    # cover the intermediate's validity period, sent with an extra certificate.
    def v1(der, key):
        tbs, _, _ = split_seq(der)
        els = [e for e in split_seq(tbs) if e[0] not in (0xA0, 0xA3)]
        return resign_tbs(der, key, els)
    short = v1(cert('R', rk, 'R', rk, CA, nb=NOW, na=NOW + dt.timedelta(days=400)), rk)
    inter_long = cert('I', ik, 'R', rk, CA, nb=NOW, na=NOW + dt.timedelta(days=2000))
    leaf = cert('mail.example.com', lk, 'I', ik, leafext([dnsn]))
    sk = K()
    stranger = cert('S', sk, 'S', sk, CA)
    out.append(('min-v1-root-short-build', case(20, [leaf, stranger, inter_long], [short], lk)))
    out.append(('min-v1-root-short-validate', case(21, [leaf, inter_long], [short], lk)))
    # The server sends a twin of the anchor (same name and key) issued by a
    # second trusted root; the anchor itself is not a CA.
    xr = K()
    bad_root = cert('R', rk, 'R', rk, [(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)])
    cross = cert('X', xr, 'X', xr, CA)
    twin = cert('R', rk, 'X', xr, CA)
    inter = cert('I', ik, 'R', rk, CA)
    out.append(('min-anchor-twin-sent', case(22, [leaf, twin, inter], [bad_root, cross], lk)))
    go(out)
    if os.environ.get('MIN_FIXTURES'):
        import record
        for n, c in out:
            c['notes'] = [n]
        record.write_fixtures(out, os.environ['MIN_FIXTURES'])


if __name__ == "__main__":
    if os.environ.get('MIN_GROUPS'):
        for g in os.environ['MIN_GROUPS'].split(','):
            globals()['group' + g]()
    else:
        group1()
        group2()
        group3()
        group4()
