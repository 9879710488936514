package io.reapomni.cli.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkout that this CLI was built from, where the embedded servers' and the services' packaged applications
 * are: named by the system
 * property {@value #PROPERTY} (bin/reap-omni and the tests set it), else found from the CLI's own jar
 * ({@code cli/target/reap-omni-cli.jar}).
 */
public record ReapHome(Path root) {

    public static final String PROPERTY = "reap.home";

    public ReapHome {
        root = root.toAbsolutePath().normalize();
    }

    /** @throws IllegalStateException when neither the property nor the jar's location names a checkout */
    public static ReapHome locate() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return requireCheckout(Path.of(property));
        }
        try {
            Path codeSource = Path.of(ReapHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/reap-omni-cli.jar or cli/target/classes: the checkout is three levels up either way.
            return requireCheckout(codeSource.getParent().getParent().getParent());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot find the reap-omni checkout; set -D" + PROPERTY + "=DIR", e);
        }
    }

    /** The packaged application of the embedded Kafka broker and S3 endpoint. */
    public Path embeddedServersJar() {
        return root.resolve("embedded").resolve("target").resolve("reap-omni-embedded.jar");
    }

    /** The packaged Quarkus application of a service module. */
    public Path quarkusRunJar(String module) {
        return root.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /**
     * Checks that the embedded servers and {@code services} are built, before any of them is started.
     *
     * @throws StackStartException naming the first application that is missing
     */
    void requireBuilt(List<ServiceSpec> services) throws StackStartException {
        requireBuilt("embedded", embeddedServersJar());
        for (ServiceSpec spec : services) {
            requireBuilt(spec.module(), quarkusRunJar(spec.module()));
        }
    }

    private void requireBuilt(String module, Path application) throws StackStartException {
        if (!Files.isRegularFile(application)) {
            throw new StackStartException(module + " is not built (" + application + " is missing); build with"
                    + " mvn -DskipTests package in " + root + " (bin/reap-omni does it when needed)");
        }
    }

    private static ReapHome requireCheckout(Path candidate) {
        if (!Files.isRegularFile(candidate.resolve("pom.xml")) || !Files.isDirectory(candidate.resolve("cli"))) {
            throw new IllegalStateException(candidate + " is not a reap-omni checkout (no pom.xml and cli/);"
                    + " set -D" + PROPERTY + "=DIR");
        }
        return new ReapHome(candidate);
    }
}
