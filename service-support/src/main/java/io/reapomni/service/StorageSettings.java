package io.reapomni.service;

import io.quarkus.runtime.Startup;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.RetrySettings;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a service may read and write for a job. S3: the endpoint and credentials of {@code reap.s3.endpoint},
 * {@code reap.s3.region}, {@code reap.s3.access-key} and {@code reap.s3.secret-key}, which Quarkus also reads from
 * the environment variables {@code REAP_S3_ENDPOINT}, {@code REAP_S3_REGION}, {@code REAP_S3_ACCESS_KEY} and
 * {@code REAP_S3_SECRET_KEY} (the same names the CLI uses), and the retry policy {@code reap.s3.retry.attempts},
 * {@code reap.s3.retry.base-delay-ms} and {@code reap.s3.retry.max-delay-ms} ({@code REAP_S3_RETRY_*}); they are read
 * when a job names an {@code s3://} location, so a service that only meets local folders needs none, and they are never
 * logged. Local folders: only those under {@code reap.local-roots} ({@code REAP_LOCAL_ROOTS}, see {@link LocalRoots}),
 * none by default; read at start, so that a service with a malformed list does not start.
 */
@ApplicationScoped
@Startup
public class StorageSettings {

    private final ServiceConfig.S3 s3;
    private final StoreAccess access;

    @Inject
    public StorageSettings(ServiceConfig config) {
        this.s3 = config.s3();
        this.access = new StoreAccess(this::s3, LocalRoots.parse(config.localRoots().orElse("")));
    }

    /**
     * The configured S3 settings; the process environment fills in what configuration leaves out (including
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}).
     *
     * @throws IllegalStateException when the endpoint or a credential is missing, naming the variable to set
     */
    public S3Settings s3() {
        // S3Settings reads the variables that the CLI reads; what configuration sets (a test resource, a properties
        // file) takes their place.
        Map<String, String> variables = new HashMap<>(System.getenv());
        s3.endpoint().ifPresent(value -> variables.put(S3Settings.ENDPOINT_VARIABLE, value));
        s3.region().ifPresent(value -> variables.put(S3Settings.REGION_VARIABLE, value));
        s3.accessKey().ifPresent(value -> variables.put(S3Settings.ACCESS_KEY_VARIABLE, value));
        s3.secretKey().ifPresent(value -> variables.put(S3Settings.SECRET_KEY_VARIABLE, value));
        s3.retry().attempts().ifPresent(value -> variables.put(RetrySettings.ATTEMPTS_VARIABLE, value));
        s3.retry().baseDelayMs().ifPresent(value -> variables.put(RetrySettings.BASE_DELAY_VARIABLE, value));
        s3.retry().maxDelayMs().ifPresent(value -> variables.put(RetrySettings.MAX_DELAY_VARIABLE, value));
        return S3Settings.fromEnvironment(variables);
    }

    /** What jobs may open: S3 with {@link #s3()}, local folders under the local roots. */
    public StoreAccess access() {
        return access;
    }

    /** The stores that jobs name, as {@code service} opens them: failures to open them refuse the job. */
    public JobStores jobStores(String service) {
        return new JobStores(access, service);
    }

    /**
     * Opens a location that a job names, to read from it.
     *
     * @throws IllegalStateException when it is a local folder outside the local roots, or S3 is not configured
     */
    public ObjectStore open(StoreLocation location) {
        return access.openForReading(location);
    }

    /**
     * Opens a location of this service's own configuration (not a job's), where the service keeps its state: the
     * local roots do not apply to it.
     */
    public ObjectStore openConfigured(StoreLocation location) {
        return ObjectStores.open(location, this::s3);
    }
}
