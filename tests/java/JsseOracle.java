// JsseOracle: the differential-testing oracle for imap-doctor.
//
// ONE long-lived JVM reads cases from standard input, one per line, and for
// each case runs a REAL in-memory TLS handshake between a client SSLEngine
// (what JavaMail uses underneath) and a throw-away server SSLEngine that
// presents the case's chain with the leaf's private key. The client's trust
// manager is the stock one (TrustManagerFactory "PKIX", the default, over a
// KeyStore of the case's anchors), wrapped by a thin probing
// X509ExtendedTrustManager that
//   * pins the validation date of the real validator (see pinDate), and
//   * records the (chain, authType) JSSE hands to the real trust manager,
// then calls the real checkServerTrusted(chain, authType, engine) with JSSE's
// own arguments: authType, endpoint identification (HTTPS / LDAPS / none),
// SNI and the TLS-signature-scheme algorithm constraints are all JSSE's own.
//
// Run (JDK 17+; JDK 11 works too):
//   javac -d OUT tests/java/JsseOracle.java
//   java --add-opens java.base/sun.security.validator=ALL-UNNAMED \
//        --add-opens java.base/sun.security.ssl=ALL-UNNAMED -cp OUT JsseOracle
//
// Input line (tab separated, 9 fields):
//   id  tls(1.2|1.3)  ident(HTTPS|LDAPS|NONE)  host  epochMillis
//   chain(base64 DER, comma separated, leaf first, as the server sends it)
//   anchors(base64 DER, comma separated; may be empty; one the JDK cannot
//           parse is left out of the trust store, as keytool would)
//   leafKey(base64 PKCS#8)  keyAlg(RSA|EC|Ed25519|Ed448|DSA|RSASSA-PSS)
//   [serverChain]  optional 10th field: what the server really presents
//                  (base64 DER, comma separated) when the case chain does not
//                  start with the certificate of leafKey (e.g. a shuffled
//                  chain); the probe then hands the CASE chain, with JSSE's
//                  own authType and engine, to the real trust manager.
// An empty line or "QUIT" ends the run.
//
// Output line (tab separated):
//   id  TRUSTED|REJECTED|NOTM|ERROR  message  exception-chain  detail
// where message is the top-level SSLHandshakeException message (what
// JavaMail shows), exception-chain is "Class: msg || Class: msg ..." of the
// causes, detail is "authType=..;suite=..;protocol=..;tm=<n certs>".
// NOTM: the handshake failed before the trust manager ran (an oracle
// limitation: the Java server side could not use that key/chain), ERROR:
// the case line could not be read.
// Every value is escaped: tab, newline and backslash become \t \n \\.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

public class JsseOracle {

    /** Most wrap/unwrap rounds per handshake: never hang. */
    static final int MAX_ROUNDS = 400;
    /** Wall-clock bound per handshake. */
    static final long MAX_MILLIS = 60_000;

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        out.println("READY\t" + System.getProperty("java.version") + "\t" + pinSupport());
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty() || line.equals("QUIT")) break;
            String id = line.split("\t", 2)[0];
            String result;
            try {
                result = runCase(line.split("\t", -1));
            } catch (Throwable t) {
                result = "ERROR\t" + esc(t.toString()) + "\t" + esc(chain(t)) + "\t";
            }
            out.println(esc(id) + "\t" + result);
        }
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        while (t != null && depth++ < 12) {
            if (sb.length() > 0) sb.append(" || ");
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) break;
            t = t.getCause();
        }
        return sb.toString();
    }

    static String pinSupport() {
        try {
            Class.forName("sun.security.validator.Validator").getMethod("setValidationDate", Date.class);
            return "pin=Validator.setValidationDate";
        } catch (Throwable t) {
            return "pin=parameterTemplate";
        }
    }

    // ---------------------------------------------------------------- case

    static final class Probe extends X509ExtendedTrustManager {
        final X509ExtendedTrustManager real;
        final Date at;
        X509Certificate[] seenChain;
        /** When set, validated instead of what the server presented. */
        X509Certificate[] substitute;
        String seenAuthType;
        Throwable thrown;
        boolean called;

        Probe(X509ExtendedTrustManager real, Date at) {
            this.real = real;
            this.at = at;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            called = true;
            seenChain = chain;
            seenAuthType = authType;
            try {
                real.checkServerTrusted(substitute != null ? substitute : chain, authType, engine);
            } catch (CertificateException | RuntimeException e) {
                thrown = e;
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            called = true;
            seenChain = chain;
            seenAuthType = authType;
            try {
                real.checkServerTrusted(substitute != null ? substitute : chain, authType, socket);
            } catch (CertificateException | RuntimeException e) {
                thrown = e;
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            called = true;
            seenChain = chain;
            seenAuthType = authType;
            try {
                real.checkServerTrusted(substitute != null ? substitute : chain, authType);
            } catch (CertificateException | RuntimeException e) {
                thrown = e;
                throw e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            throw new CertificateException("client auth not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            throw new CertificateException("client auth not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
            throw new CertificateException("client auth not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return real.getAcceptedIssuers();
        }
    }

    /**
     * Pins the date the real X509TrustManagerImpl validates at.
     * JDK source: X509TrustManagerImpl.checkTrustedInit lazily creates
     * `serverValidator` = getValidator(Validator.VAR_TLS_SERVER); the
     * PKIXValidator's doValidate/doBuild call setDate(params), which applies
     * the (deprecated, "for debugging") Validator.validationDate to the
     * PKIXBuilderParameters handed to CertPathValidator/CertPathBuilder. So:
     * create that validator ourselves the same way, setValidationDate(at),
     * and store it in the field. As a belt-and-braces fallback, also set the
     * date on PKIXValidator.parameterTemplate (cloned for every validation).
     */
    static void pinDate(Object realTm, Date at) throws Exception {
        Class<?> tmc = realTm.getClass();
        Class<?> vc = Class.forName("sun.security.validator.Validator");
        String variant = (String) vc.getField("VAR_TLS_SERVER").get(null);
        Method getValidator = tmc.getDeclaredMethod("getValidator", String.class);
        getValidator.setAccessible(true);
        Object v;
        try {
            v = getValidator.invoke(realTm, variant);
        } catch (java.lang.reflect.InvocationTargetException e) {
            // e.g. an empty trust store: PKIXBuilderParameters refuses an empty
            // anchor set. Leave the validator unset so the real trust manager
            // fails exactly as it does in production.
            return;
        }
        boolean pinned = false;
        try {
            Method svd = vc.getMethod("setValidationDate", Date.class);
            svd.invoke(v, at);
            pinned = true;
        } catch (NoSuchMethodException ignored) {
            // fall through to the parameter template
        }
        try {
            Field pt = v.getClass().getDeclaredField("parameterTemplate");
            pt.setAccessible(true);
            ((PKIXBuilderParameters) pt.get(v)).setDate(at);
            pinned = true;
        } catch (NoSuchFieldException ignored) {
            // not a PKIXValidator
        }
        if (!pinned) throw new IllegalStateException("cannot pin the validation date");
        Field sv = tmc.getDeclaredField("serverValidator");
        sv.setAccessible(true);
        sv.set(realTm, v);
    }

    static X509Certificate[] certs(CertificateFactory cf, String field) throws Exception {
        List<X509Certificate> l = new ArrayList<>();
        if (field.isEmpty()) return new X509Certificate[0];
        for (String b : field.split(",")) {
            if (b.isEmpty()) continue;
            l.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(b))));
        }
        return l.toArray(new X509Certificate[0]);
    }

    static String runCase(String[] f) throws Exception {
        if (f.length < 9) throw new IllegalArgumentException("expected 9 fields, got " + f.length);
        String tls = f[1];
        String ident = f[2];
        String host = f[3];
        Date at = new Date(Long.parseLong(f[4]));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate[] chain;
        X509Certificate[] presented;
        try {
            chain = certs(cf, f[5]);
            presented = (f.length > 9 && !f[9].isEmpty()) ? certs(cf, f[9]) : chain;
        } catch (Exception e) {
            // The JDK cannot even parse a certificate the server sends: in a
            // handshake this fails in CertificateMessage before any trust check.
            return "REJECTED\t" + esc("unparseable: " + e.getMessage()) + "\t" + esc(chain(e)) + "\tparse";
        }
        // A trusted certificate the JDK cannot parse never gets into a
        // KeyStore (keytool refuses to import it): leave it out, as the
        // archiver's trust store would, and say so in the detail.
        List<X509Certificate> anchorList = new ArrayList<>();
        int dropped = 0;
        for (String b : f[6].split(",")) {
            if (b.isEmpty()) continue;
            try {
                anchorList.add((X509Certificate) cf.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(b))));
            } catch (CertificateException e) {
                dropped++;
            }
        }
        X509Certificate[] anchors = anchorList.toArray(new X509Certificate[0]);
        String keyAlg = f[8];
        String kfAlg = keyAlg.equals("RSASSA-PSS") ? "RSASSA-PSS" : keyAlg;
        PrivateKey key = KeyFactory.getInstance(kfAlg)
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(f[7])));

        // Client: the stock PKIX trust manager over the anchors.
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < anchors.length; i++) ks.setCertificateEntry("anchor" + i, anchors[i]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        X509ExtendedTrustManager real = null;
        for (TrustManager t : tmf.getTrustManagers())
            if (t instanceof X509ExtendedTrustManager) real = (X509ExtendedTrustManager) t;
        pinDate(real, at);
        Probe probe = new Probe(real, at);
        if (presented != chain) probe.substitute = chain;
        SSLContext cctx = SSLContext.getInstance("TLS");
        cctx.init(null, new TrustManager[] {probe}, new SecureRandom());

        // Server: presents the case chain with the leaf's key, only the case's TLS version.
        SSLContext sctx = SSLContext.getInstance("TLS");
        sctx.init(new KeyManager[] {new FixedKeyManager(presented, key)}, null, new SecureRandom());
        SSLEngine server = sctx.createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledProtocols(new String[] {tls.equals("1.3") ? "TLSv1.3" : "TLSv1.2"});

        // The client as JavaMail creates it: peer host and port known, so JSSE
        // derives SNI itself (Utilities.addToSNIServerNameList rules).
        SSLEngine client = cctx.createSSLEngine(host, 993);
        client.setUseClientMode(true);
        SSLParameters p = client.getSSLParameters();
        if (!ident.equals("NONE")) p.setEndpointIdentificationAlgorithm(ident);
        client.setSSLParameters(p);

        Throwable failure = null;
        String suite = "", proto = "";
        try {
            handshake(client, server);
            SSLSession s = client.getSession();
            suite = s.getCipherSuite();
            proto = s.getProtocol();
        } catch (Throwable t) {
            failure = t;
        }
        String detail = "authType=" + probe.seenAuthType + ";suite=" + suite + ";protocol=" + proto
                + ";tm=" + (probe.seenChain == null ? "-" : String.valueOf(probe.seenChain.length))
                + (probe.substitute != null ? ";substituted=" + probe.substitute.length : "")
                + ";sni=" + p.getServerNames()
                + (dropped > 0 ? ";anchors-dropped=" + dropped : "");
        if (failure == null && probe.called && probe.thrown == null) {
            return "TRUSTED\t\t\t" + esc(detail);
        }
        if (!probe.called) {
            return "NOTM\t" + esc(String.valueOf(failure == null ? "no trust check" : failure.getMessage()))
                    + "\t" + esc(chain(failure)) + "\t" + esc(detail);
        }
        Throwable shown = failure != null ? failure : probe.thrown;
        return "REJECTED\t" + esc(String.valueOf(shown.getMessage())) + "\t" + esc(chain(probe.thrown != null ? probe.thrown : shown))
                + "\t" + esc(detail);
    }

    // ------------------------------------------------------------ handshake

    static void runTasks(SSLEngine e) {
        Runnable r;
        while ((r = e.getDelegatedTask()) != null) r.run();
    }

    static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int cap = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize()) * 4;
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize()) * 2;
        ByteBuffer c2s = ByteBuffer.allocate(cap), s2c = ByteBuffer.allocate(cap);
        ByteBuffer cApp = ByteBuffer.allocate(app), sApp = ByteBuffer.allocate(app);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("handshake timed out");
            boolean progress = false;
            // client -> server
            SSLEngineResult r = client.wrap(empty, c2s);
            runTasks(client);
            progress |= r.bytesProduced() > 0;
            c2s.flip();
            r = server.unwrap(c2s, sApp);
            runTasks(server);
            progress |= r.bytesConsumed() > 0;
            c2s.compact();
            // server -> client
            r = server.wrap(empty, s2c);
            runTasks(server);
            progress |= r.bytesProduced() > 0;
            s2c.flip();
            // unwrap as much as is buffered (several records)
            while (s2c.hasRemaining()) {
                r = client.unwrap(s2c, cApp);
                runTasks(client);
                if (r.bytesConsumed() == 0) break;
                progress = true;
            }
            s2c.compact();
            // client may still need to unwrap data buffered by the server side
            c2s.flip();
            while (c2s.hasRemaining()) {
                r = server.unwrap(c2s, sApp);
                runTasks(server);
                if (r.bytesConsumed() == 0) break;
                progress = true;
            }
            c2s.compact();
            HandshakeStatus cs = client.getHandshakeStatus(), ss = server.getHandshakeStatus();
            boolean cDone = cs == HandshakeStatus.NOT_HANDSHAKING || cs == HandshakeStatus.FINISHED;
            boolean sDone = ss == HandshakeStatus.NOT_HANDSHAKING || ss == HandshakeStatus.FINISHED;
            if (cDone && sDone && c2s.position() == 0 && s2c.position() == 0) return;
            if ((client.isOutboundDone() || client.isInboundDone()) && !cDone) {
                // A failed delegated task leaves its exception for the next
                // wrap/unwrap call: make that call so it is thrown here.
                ByteBuffer sink = ByteBuffer.allocate(cap);
                client.wrap(empty, sink);
                sink.clear();
                client.unwrap(ByteBuffer.allocate(0), cApp);
                throw new IllegalStateException("client closed during handshake");
            }
            if (!progress && round > 4) {
                throw new IllegalStateException("handshake stalled: client " + cs + ", server " + ss);
            }
        }
        throw new IllegalStateException("handshake did not finish in " + MAX_ROUNDS + " rounds");
    }

    // ------------------------------------------------------------ server key

    static final class FixedKeyManager extends X509ExtendedKeyManager {
        final X509Certificate[] chain;
        final PrivateKey key;

        FixedKeyManager(X509Certificate[] chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        boolean fits(String keyType) {
            String a = key.getAlgorithm();
            if (keyType == null) return false;
            if (keyType.equalsIgnoreCase(a)) return true;
            if ((a.equals("EdDSA") || a.equals("Ed25519") || a.equals("Ed448"))
                    && (keyType.equals("EdDSA") || keyType.equals("Ed25519") || keyType.equals("Ed448"))) return true;
            // TLS 1.2 names like EC_EC / EC_RSA (static ECDH) are not used.
            return false;
        }

        String alias(String keyType) {
            return fits(keyType) ? "case" : null;
        }

        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return null; }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) {
            return fits(keyType) ? new String[] {"case"} : null;
        }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return alias(keyType); }
        @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }
        @Override public X509Certificate[] getCertificateChain(String alias) { return chain.clone(); }
        @Override public PrivateKey getPrivateKey(String alias) { return key; }
    }
}
