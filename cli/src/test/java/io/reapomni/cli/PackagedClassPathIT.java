package io.reapomni.cli;

import io.reapomni.cli.stack.ReapHome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the CLI ships: its jar's class path and {@code cli/target/lib} hold none of the embedded servers' libraries
 * (the Kafka broker, S3Proxy and the cloud-storage SDKs, servers and languages it brings); the embedded servers'
 * application, which the CLI runs by its path, holds them. The developer tools (synthetic checkpoints, the
 * calibration-data generator, the benchmarks) ship with the CLI alone.
 */
class PackagedClassPathIT {

    /** Jars of the Kafka broker (kafka_2.13, Scala) and of S3Proxy's tree (jclouds, Azure, Google Cloud, OpenStack, SSH, Jetty). */
    private static final Pattern SERVER_LIBRARIES = Pattern.compile(
            "(s3proxy|jclouds|azure|google-cloud|google-api|openstack4j|sshd|jetty|scala|kafka_2\\.13|kafka-server|kafka-raft)"
                    + ".*\\.jar");

    private final Path root = ReapHome.locate().root();

    @Test
    void theCliCarriesNoServerLibraryAndItsClassPathIsComplete() throws IOException {
        Path cli = root.resolve("cli/target/reap-omni-cli.jar");

        List<String> classPath = manifestClassPath(cli);
        List<String> lib = jarsIn(root.resolve("cli/target/lib"));

        assertThat(classPath).isNotEmpty().noneMatch(SERVER_LIBRARIES.asPredicate())
                .allSatisfy(entry -> assertThat(cli.resolveSibling(entry)).isRegularFile());
        assertThat(lib).noneMatch(jar -> SERVER_LIBRARIES.matcher(jar).matches());
        assertThat(classPath).anyMatch(entry -> entry.startsWith("lib/kafka-clients-"));
    }

    @Test
    void theEmbeddedServersApplicationCarriesTheBrokerAndTheS3Endpoint() throws IOException {
        Path servers = ReapHome.locate().embeddedServersJar();

        List<String> classPath = manifestClassPath(servers);

        assertThat(classPath).anyMatch(entry -> entry.startsWith("lib/s3proxy-"))
                .anyMatch(entry -> entry.startsWith("lib/kafka_2.13-"))
                .allSatisfy(entry -> assertThat(servers.resolveSibling(entry)).isRegularFile());
        try (JarFile jar = new JarFile(servers.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.reapomni.embedded.EmbeddedServers");
        }
    }

    @Test
    void theDeveloperToolsShipWithTheCliAndWithNoService() throws IOException {
        assertThat(manifestClassPath(root.resolve("cli/target/reap-omni-cli.jar")))
                .anyMatch(entry -> entry.startsWith("lib/dev-tools-"));
        for (String service : List.of("strip-service", "calibration-service", "scoring-service",
                "shard-writer-service")) {
            List<String> libraries = jarsIn(root.resolve(service).resolve("target/quarkus-app/lib/main"));

            assertThat(libraries).as(service).anyMatch(jar -> jar.startsWith("io.reapomni.common-"))
                    .noneMatch(jar -> jar.contains("dev-tools"));
        }
    }

    private static List<String> manifestClassPath(Path jarFile) throws IOException {
        try (JarFile jar = new JarFile(jarFile.toFile())) {
            return Arrays.asList(jar.getManifest().getMainAttributes().getValue("Class-Path").split(" "));
        }
    }

    private static List<String> jarsIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
