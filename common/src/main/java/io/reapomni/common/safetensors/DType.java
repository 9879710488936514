package io.reapomni.common.safetensors;

import java.util.Arrays;

/** The element types of the safetensors format, by the names its headers use. */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E4M3(1), F8_E5M2(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Parses a header's dtype name; an unknown name is a format error that names it. */
    public static DType parse(String name) throws SafetensorsFormatException {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new SafetensorsFormatException("unknown dtype \"" + name + "\" (known: " + Arrays.toString(values()) + ")");
    }
}
