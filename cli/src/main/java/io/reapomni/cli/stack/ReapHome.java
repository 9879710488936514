package io.reapomni.cli.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout that this CLI was built from, where the services' packaged applications are: named by the system
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

    /** The packaged Quarkus application of a service module. */
    public Path quarkusRunJar(String module) {
        return root.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    private static ReapHome requireCheckout(Path candidate) {
        if (!Files.isRegularFile(candidate.resolve("pom.xml")) || !Files.isDirectory(candidate.resolve("cli"))) {
            throw new IllegalStateException(candidate + " is not a reap-omni checkout (no pom.xml and cli/);"
                    + " set -D" + PROPERTY + "=DIR");
        }
        return new ReapHome(candidate);
    }
}
