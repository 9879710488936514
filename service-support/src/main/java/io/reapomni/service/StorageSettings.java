package io.reapomni.service;

import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.RetrySettings;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * The S3 endpoint and credentials of a service, from its configuration: {@code reap.s3.endpoint},
 * {@code reap.s3.region}, {@code reap.s3.access-key} and {@code reap.s3.secret-key}, which Quarkus also reads from
 * the environment variables {@code REAP_S3_ENDPOINT}, {@code REAP_S3_REGION}, {@code REAP_S3_ACCESS_KEY} and
 * {@code REAP_S3_SECRET_KEY} (the same names the CLI uses), and the retry policy {@code reap.s3.retry.attempts},
 * {@code reap.s3.retry.base-delay-ms} and {@code reap.s3.retry.max-delay-ms} ({@code REAP_S3_RETRY_*}). They are read when a job names an {@code s3://} location,
 * so a service that only meets local folders needs none, and they are never logged.
 */
@ApplicationScoped
public class StorageSettings {

    private static final Map<String, String> VARIABLE_BY_PROPERTY = Map.of(
            "reap.s3.endpoint", S3Settings.ENDPOINT_VARIABLE,
            "reap.s3.region", S3Settings.REGION_VARIABLE,
            "reap.s3.access-key", S3Settings.ACCESS_KEY_VARIABLE,
            "reap.s3.secret-key", S3Settings.SECRET_KEY_VARIABLE,
            "reap.s3.retry.attempts", RetrySettings.ATTEMPTS_VARIABLE,
            "reap.s3.retry.base-delay-ms", RetrySettings.BASE_DELAY_VARIABLE,
            "reap.s3.retry.max-delay-ms", RetrySettings.MAX_DELAY_VARIABLE);

    private final Config config;

    @Inject
    public StorageSettings(Config config) {
        this.config = config;
    }

    /**
     * The configured S3 settings; the process environment fills in what configuration leaves out (including
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}).
     *
     * @throws IllegalStateException when the endpoint or a credential is missing, naming the variable to set
     */
    public S3Settings s3() {
        Map<String, String> variables = new HashMap<>(System.getenv());
        VARIABLE_BY_PROPERTY.forEach((property, variable) ->
                config.getOptionalValue(property, String.class).ifPresent(value -> variables.put(variable, value)));
        return S3Settings.fromEnvironment(variables);
    }

    /** Opens the store at {@code location}, asking for the S3 settings only when it is an S3 location. */
    public ObjectStore open(StoreLocation location) {
        return ObjectStores.open(location, this::s3);
    }
}
