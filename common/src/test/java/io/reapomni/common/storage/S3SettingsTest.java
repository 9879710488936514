package io.reapomni.common.storage;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3SettingsTest {

    @Test
    void readsReapVariablesWithDefaultRegion() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of(
                "REAP_S3_ENDPOINT", "http://minio:9000",
                "REAP_S3_ACCESS_KEY", "reap-access",
                "REAP_S3_SECRET_KEY", "reap-secret"));
        assertThat(settings).isEqualTo(new S3Settings(URI.create("http://minio:9000"), "us-east-1", "reap-access", "reap-secret"));
    }

    @Test
    void fallsBackToAwsCredentialVariables() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of(
                "REAP_S3_ENDPOINT", "https://s3.example.com",
                "REAP_S3_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "aws-access",
                "AWS_SECRET_ACCESS_KEY", "aws-secret"));
        assertThat(settings.region()).isEqualTo("eu-west-1");
        assertThat(settings.accessKey()).isEqualTo("aws-access");
        assertThat(settings.secretKey()).isEqualTo("aws-secret");
    }

    @Test
    void namesTheMissingVariable() {
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("REAP_S3_ACCESS_KEY", "a", "REAP_S3_SECRET_KEY", "s")))
                .hasMessageContaining("REAP_S3_ENDPOINT");
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("REAP_S3_ENDPOINT", "http://m:9000", "REAP_S3_SECRET_KEY", "s")))
                .hasMessageContaining("REAP_S3_ACCESS_KEY").hasMessageContaining("AWS_ACCESS_KEY_ID");
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("REAP_S3_ENDPOINT", "http://m:9000", "REAP_S3_ACCESS_KEY", "a")))
                .hasMessageContaining("REAP_S3_SECRET_KEY");
    }

    @Test
    void readsTheRetryPolicyFromItsVariablesWithDefaultsForTheOthers() {
        Map<String, String> base = Map.of("REAP_S3_ENDPOINT", "http://m:9000", "REAP_S3_ACCESS_KEY", "a",
                "REAP_S3_SECRET_KEY", "s");
        assertThat(S3Settings.fromEnvironment(base).retry()).isEqualTo(RetrySettings.DEFAULT);

        Map<String, String> tuned = new java.util.HashMap<>(base);
        tuned.putAll(Map.of("REAP_S3_RETRY_ATTEMPTS", "3", "REAP_S3_RETRY_MAX_DELAY_MS", "2000"));
        assertThat(S3Settings.fromEnvironment(tuned).retry()).isEqualTo(new RetrySettings(3,
                RetrySettings.DEFAULT.baseDelay(), java.time.Duration.ofSeconds(2)));

        tuned.put("REAP_S3_RETRY_ATTEMPTS", "0");
        assertThatThrownBy(() -> S3Settings.fromEnvironment(tuned)).hasMessageContaining("REAP_S3_RETRY_ATTEMPTS")
                .hasMessageContaining("1 to 100");
        tuned.put("REAP_S3_RETRY_ATTEMPTS", "three");
        assertThatThrownBy(() -> S3Settings.fromEnvironment(tuned)).hasMessageContaining("REAP_S3_RETRY_ATTEMPTS")
                .hasMessageContaining("not a whole number");
        tuned.put("REAP_S3_RETRY_ATTEMPTS", "3");
        tuned.put("REAP_S3_RETRY_BASE_DELAY_MS", "5000");
        assertThatThrownBy(() -> S3Settings.fromEnvironment(tuned)).hasMessageContaining("max delay");
    }

    @Test
    void toStringMasksTheCredentials() {
        String shown = new S3Settings(URI.create("http://minio:9000"), "us-east-1", "AKIAEXAMPLE", "wJalrXUtnFEMI").toString();
        assertThat(shown).contains("http://minio:9000").doesNotContain("AKIAEXAMPLE").doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void refusesEndpointsThatAreNotHttpUrls() {
        assertThatThrownBy(() -> new S3Settings(URI.create("minio:9000"), "us-east-1", "a", "s"))
                .hasMessageContaining("not an http:// or https:// URL");
    }
}
