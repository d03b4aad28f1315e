// The test oracle: asks the JDK's own default trust manager (the one JSSE
// uses for a TLS client) whether it trusts a server chain.
// Usage: java Oracle chain.pem trust.pem
//        java Oracle chain.pem truststore.jks JKS|JCEKS|PKCS12 password
//        java Oracle            (then one case per line on standard input,
//                                the same arguments separated by tabs)
// Prints "TRUSTED", "REJECTED <exception message>", or "ERROR <why>" when
// the case itself could not be read. With no arguments it stays up, so the
// tests pay for one JVM start, not one per case.
import java.io.FileInputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

public class Oracle {
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println(judge(args));
            return;
        }
        java.io.BufferedReader in = new java.io.BufferedReader(
            new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String verdict;
            try {
                verdict = judge(line.split("\t"));
            } catch (Exception e) {
                verdict = "ERROR " + String.valueOf(e).replace('\n', ' ');
            }
            System.out.println(verdict);
            System.out.flush();
        }
    }

    static String judge(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        try (FileInputStream in = new FileInputStream(args[0])) {
            for (Certificate c : cf.generateCertificates(in)) chain.add((X509Certificate) c);
        }
        KeyStore ks;
        if (args.length > 3) {
            // A keystore file: args[1] path, args[2] type, args[3] password.
            ks = KeyStore.getInstance(args[2]);
            try (FileInputStream in = new FileInputStream(args[1])) { ks.load(in, args[3].toCharArray()); }
        } else {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            try (FileInputStream in = new FileInputStream(args[1])) {
                Collection<? extends Certificate> trusted = cf.generateCertificates(in);
                int i = 0;
                for (Certificate c : trusted) ks.setCertificateEntry("t" + (i++), c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        X509TrustManager tm = null;
        for (TrustManager t : tmf.getTrustManagers()) if (t instanceof X509TrustManager) tm = (X509TrustManager) t;
        try {
            // "UNKNOWN" is what TLS 1.3 passes: no key-exchange specific key usage check.
            tm.checkServerTrusted(chain.toArray(new X509Certificate[0]), "UNKNOWN");
            return "TRUSTED";
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage()).replace('\n', ' ');
            return "REJECTED " + m;
        }
    }
}
