package io.reapomni.service.testing;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A service's configuration as a deployed service reads it, without starting the service: the given environment
 * variables over the service's {@code application.properties} over the shared
 * {@code META-INF/microprofile-config.properties}, with Quarkus' converters ({@code 300s}, {@code 1G}), mapped to a
 * {@code @ConfigMapping} interface. Shows that a mapping reads the keys and variables the README documents. Of the
 * JVM's system properties only those the files refer to are seen: a Quarkus test earlier in the same JVM leaves its
 * profile's settings among them.
 */
public final class ServiceConfiguration {

    /** The system properties that the configuration files use in {@code ${...}} expressions. */
    private static final List<String> REFERENCED = List.of("user.home", "java.io.tmpdir");

    private ServiceConfiguration() {
    }

    /** {@code mapping} read with {@code environment} as the process environment (no profile active). */
    public static <T> T read(Class<T> mapping, Map<String, String> environment) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL))
                .withSources(new PropertiesConfigSource(REFERENCED.stream().collect(Collectors.toMap(
                        Function.identity(), System::getProperty)), "the JVM properties the files refer to", 0))
                .withMapping(mapping)
                .withValidateUnknown(false);
        ClassLoader loader = ServiceConfiguration.class.getClassLoader();
        try {
            for (URL url : Collections.list(loader.getResources("application.properties"))) {
                builder.withSources(new PropertiesConfigSource(url, 250));
            }
            for (URL url : Collections.list(loader.getResources("META-INF/microprofile-config.properties"))) {
                builder.withSources(new PropertiesConfigSource(url, 100));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration files on the class path", e);
        }
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(mapping);
    }
}
