package io.logferry.tls;

import io.logferry.testsupport.TestPki;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A renewal is picked up; a broken or mismatched set is refused and the previous context stays. */
class ReloadingSslContextTest {

    @TempDir
    Path dir;

    private ReloadingSslContext reloading(TestPki pki) {
        PkiDirectory files = pki.directory();
        TlsFiles server = new TlsFiles.Pem(files.certificate(TestPki.SERVER), files.key(TestPki.SERVER),
                files.caCertificate());
        return SslContextParametersFactory.reloading("test listener", server, true, new DefaultCamelContext(), 0);
    }

    @Test
    void unchangedFilesKeepTheContextAndARenewalReplacesIt() {
        TestPki pki = new TestPki(dir);
        ReloadingSslContext tls = reloading(pki);
        SSLContext first = tls.current();
        assertThat(tls.check()).isFalse();
        assertThat(tls.current()).isSameAs(first);

        pki.reissue(CertificateRequest.server(TestPki.SERVER, List.of("127.0.0.1")));
        assertThat(tls.check()).isTrue();
        assertThat(tls.current()).isNotSameAs(first);
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefusedAndThePreviousContextStays() throws Exception {
        TestPki pki = new TestPki(dir);
        ReloadingSslContext tls = reloading(pki);
        SSLContext before = tls.current();
        PkiDirectory files = pki.directory();
        // a renewal half done: the new certificate is in place, its key is not yet
        Path key = files.key(TestPki.SERVER);
        Path oldKey = dir.resolve("old.key");
        Files.copy(key, oldKey);
        pki.reissue(CertificateRequest.server(TestPki.SERVER, List.of("127.0.0.1")));
        Path newKey = dir.resolve("new.key");
        Files.copy(key, newKey);
        Files.copy(oldKey, key, StandardCopyOption.REPLACE_EXISTING);

        assertThat(tls.check()).isFalse();
        assertThat(tls.current()).isSameAs(before);

        Files.copy(newKey, key, StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.check()).isTrue();
        assertThat(tls.current()).isNotSameAs(before);
    }

    @Test
    void aMissingOrEmptyFileIsRefusedAndThePreviousContextStays() throws Exception {
        TestPki pki = new TestPki(dir);
        ReloadingSslContext tls = reloading(pki);
        SSLContext before = tls.current();
        Files.writeString(pki.directory().caCertificate(), "");
        assertThat(tls.check()).isFalse();
        Files.delete(pki.directory().caCertificate());
        assertThat(tls.check()).isFalse();
        assertThat(tls.current()).isSameAs(before);
    }

    @Test
    void filesAreLookedAtOnlyWhileTheOwnerIsActive() {
        TestPki pki = new TestPki(dir);
        PkiDirectory files = pki.directory();
        TlsFiles server = new TlsFiles.Pem(files.certificate(TestPki.SERVER), files.key(TestPki.SERVER),
                files.caCertificate());
        AtomicBoolean routeStarted = new AtomicBoolean(false);
        ReloadingSslContext tls = SslContextParametersFactory.reloading("test listener", server, true,
                new DefaultCamelContext(), 20).whileActive(routeStarted::get);
        SSLContext first = tls.current();
        pki.reissue(CertificateRequest.server(TestPki.SERVER, List.of("127.0.0.1")));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(tls.current()).isSameAs(first));
        routeStarted.set(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tls.current()).isNotSameAs(first));
        tls.close();
    }

    @Test
    void filesThatDoNotLoadAtStartStopTheStart() throws Exception {
        TestPki pki = new TestPki(dir);
        Files.writeString(pki.directory().key(TestPki.SERVER), "not a key");
        assertThatThrownBy(() -> reloading(pki)).isInstanceOf(TlsSetupException.class);
    }
}
