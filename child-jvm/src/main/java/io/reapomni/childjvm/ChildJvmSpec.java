package io.reapomni.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A main class to run in a child JVM on this JVM's class path.
 *
 * @param mainClass   fully qualified name of a class whose main prints a {@link ReadyLine} on stdout when it serves
 * @param jvmOptions  options before the class path, e.g. {@code -Xmx256m}
 * @param arguments   arguments of main; no secrets here, {@code ps} shows them to every user
 * @param environment added to this process's environment, the place for secrets
 * @param logFile     where the child's stdout and stderr are appended
 */
public record ChildJvmSpec(String mainClass, List<String> jvmOptions, List<String> arguments,
                           Map<String, String> environment, Path logFile) {

    public ChildJvmSpec {
        Objects.requireNonNull(mainClass, "mainClass");
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        logFile = logFile.toAbsolutePath().normalize();
    }

    /** The child's main class name, without its package, to name threads and messages. */
    String shortName() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** Names the environment's variables but not their values, which may be secrets. */
    @Override
    public String toString() {
        return "ChildJvmSpec[mainClass=" + mainClass + ", jvmOptions=" + jvmOptions + ", arguments=" + arguments
                + ", environment=" + new TreeSet<>(environment.keySet()) + ", logFile=" + logFile + "]";
    }
}
