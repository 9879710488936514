package io.reapomni.common.rewrite;

import io.reapomni.common.format.Units;

import java.io.IOException;
import java.nio.file.Path;

/** A local output's filesystem has less usable space than the rewrite still has to write: refused before writing. */
public class InsufficientSpaceException extends IOException {
    public InsufficientSpaceException(Path folder, long needed, long usable) {
        super("not enough space to write the pruned model in " + folder + ": it needs " + Units.bytes(needed)
                + " more, its filesystem has " + Units.bytes(usable) + " usable; free space or choose another output");
    }
}
