package io.reapomni.childjvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A server to run in a child JVM: {@code java JVM-OPTIONS PROGRAM ARGUMENTS}, where the program is a packaged
 * application ({@code -jar app.jar}) or a main class on a class path.
 *
 * @param name        names the child in messages and threads, e.g. {@code kafka}
 * @param jvmOptions  options before the program, e.g. {@code -Xmx256m}
 * @param program     {@code -jar FILE}, or {@code -cp CLASSPATH MAIN-CLASS}; the main prints a {@link ReadyLine} on
 *                    stdout when it serves
 * @param arguments   arguments of main; no secrets here, {@code ps} shows them to every user
 * @param environment added to this process's environment, the place for secrets
 * @param logFile     where the child's stdout and stderr are appended
 */
public record ChildJvmSpec(String name, List<String> jvmOptions, List<String> program, List<String> arguments,
                           Map<String, String> environment, Path logFile) {

    public ChildJvmSpec {
        Objects.requireNonNull(name, "name");
        jvmOptions = List.copyOf(jvmOptions);
        program = List.copyOf(program);
        if (program.isEmpty()) {
            throw new IllegalArgumentException("a child JVM needs a program: -jar FILE or -cp CLASSPATH MAIN-CLASS");
        }
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        logFile = logFile.toAbsolutePath().normalize();
    }

    /** A packaged application, run as {@code java -jar jar}: its manifest names its main class and libraries. */
    public static ChildJvmSpec packaged(String name, Path jar, List<String> jvmOptions, List<String> arguments,
                                        Map<String, String> environment, Path logFile) {
        return new ChildJvmSpec(name, jvmOptions, List.of("-jar", jar.toAbsolutePath().toString()), arguments,
                environment, logFile);
    }

    /** {@code mainClass} on this JVM's own class path (tests run their servers this way). */
    public static ChildJvmSpec onThisClassPath(Class<?> mainClass, List<String> jvmOptions, List<String> arguments,
                                               Map<String, String> environment, Path logFile) {
        return new ChildJvmSpec(mainClass.getSimpleName(), jvmOptions,
                List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()), arguments, environment,
                logFile);
    }

    /** The command line, starting with this JVM's {@code java}. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(program);
        command.addAll(arguments);
        return command;
    }

    /** Names the environment's variables but not their values, which may be secrets. */
    @Override
    public String toString() {
        return "ChildJvmSpec[name=" + name + ", jvmOptions=" + jvmOptions + ", program=" + program + ", arguments="
                + arguments + ", environment=" + new TreeSet<>(environment.keySet()) + ", logFile=" + logFile + "]";
    }
}
