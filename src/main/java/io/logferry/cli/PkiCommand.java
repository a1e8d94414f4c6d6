package io.logferry.cli;

import io.logferry.tls.CertificateAuthority;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.IssuedCertificate;
import io.logferry.tls.PkiDirectory;
import io.logferry.tls.TlsSetupException;
import io.logferry.tls.Validity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code logferry pki init} creates a private CA; {@code logferry pki issue} gives a host its certificate and key,
 * as PEM files and as a PKCS12 keystore (layout in {@link PkiDirectory}). Exit code 0 on success, 1 with one
 * {@code error:} line on stderr when something cannot be done, 2 for a usage error (picocli's convention).
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
         description = "Create a private CA and issue host certificates for syslog over mutual TLS.",
         subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class})
public final class PkiCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: 'pki init' or 'pki issue'");
    }

    /** Options both subcommands take. */
    static class Common {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "config/pki",
                description = "Directory of the CA and host files (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--force", description = "Replace files that already exist.")
        boolean force;

        @Spec
        CommandSpec spec;

        /** Runs {@code action}; a {@link TlsSetupException} or bad argument becomes one error line and exit 1. */
        int run(Callable<List<String>> action) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                for (String line : action.call()) {
                    out.println(line);
                }
                out.flush();
                return 0;
            } catch (TlsSetupException | IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            } catch (Exception e) {
                err.println("error: " + e);
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
             description = "Create the CA: DIR/ca.crt (give it to every host) and DIR/ca.key (keep it here, 0600).")
    static final class Init extends Common implements Callable<Integer> {

        @Option(names = "--cn", paramLabel = "NAME", defaultValue = CertificateAuthority.DEFAULT_NAME,
                description = "Common name of the CA (default: ${DEFAULT-VALUE}).")
        String commonName;

        @Option(names = "--days", paramLabel = "N", defaultValue = "" + CertificateAuthority.DEFAULT_DAYS,
                description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() {
            return run(() -> {
                PkiDirectory pki = new PkiDirectory(dir);
                CertificateAuthority authority = CertificateAuthority.create(commonName, Validity.days(days));
                pki.writeAuthority(authority, force);
                return List.of(
                        "wrote " + pki.caCertificate() + "  CA certificate (PEM): every host trusts it",
                        "wrote " + pki.caKey() + "  CA private key (PEM PKCS#8, mode 0600): keep it on this host",
                        "next: logferry pki issue --dir " + dir + " --cn HOST [--server --san IP-OR-NAME]");
            });
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
             description = "Issue a host certificate signed by the CA in DIR: a client certificate for a forwarder,"
                     + " or with --server one for a listener.")
    static final class Issue extends Common implements Callable<Integer> {

        @Option(names = "--cn", paramLabel = "NAME", required = true,
                description = "Host name: the certificate's CN and first SAN, the listener's source identity for a"
                        + " client, and the name of the files, e.g. web-01.")
        String commonName;

        @Option(names = "--server", description = "A server certificate (serverAuth) instead of a client one.")
        boolean server;

        @Option(names = "--san", paramLabel = "NAME-OR-IP", split = ",",
                description = "More subject alternative names, e.g. --san 127.0.0.1,localhost.")
        List<String> subjectAltNames = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", defaultValue = "" + CertificateRequest.DEFAULT_DAYS,
                description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--p12-password", paramLabel = "PASSWORD",
                description = "Password of NAME.p12 (default: generated and written to NAME.p12.pass, mode 0600).")
        String keyStorePassword;

        @Override
        public Integer call() {
            return run(() -> {
                PkiDirectory pki = new PkiDirectory(dir);
                CertificateRequest request = new CertificateRequest(commonName,
                        server ? CertificateRequest.Usage.SERVER : CertificateRequest.Usage.CLIENT,
                        subjectAltNames, Validity.days(days));
                CertificateAuthority authority = pki.readAuthority();
                IssuedCertificate issued = authority.issue(request);
                pki.writeHost(issued, commonName, keyStorePassword, force);
                List<String> lines = new ArrayList<>(List.of(
                        "wrote " + pki.certificate(commonName) + "  certificate chain (PEM: " + commonName
                                + ", then the CA), " + (server ? "serverAuth" : "clientAuth") + ", SAN "
                                + String.join(", ", request.subjectAltNames()),
                        "wrote " + pki.key(commonName) + "  private key (PEM PKCS#8, mode 0600)",
                        "wrote " + pki.keyStore(commonName) + "  PKCS12 keystore with key and chain (mode 0600)"));
                if (keyStorePassword == null) {
                    lines.add("wrote " + pki.keyStorePassword(commonName) + "  PKCS12 password (mode 0600)");
                }
                lines.add("valid until " + issued.certificate().getNotAfter().toInstant() + "; copy the files and "
                        + pki.caCertificate() + " to " + commonName);
                return lines;
            });
        }
    }
}
