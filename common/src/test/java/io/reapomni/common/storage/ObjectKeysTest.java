package io.reapomni.common.storage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "model-00001-of-00015.safetensors", "a/b/c.bin", "dir.with.dots/x..y", "é/ü"})
    void acceptsRelativeKeys(String key) {
        assertThat(ObjectKeys.validate(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../b", "..", ".", "a/./b", "a/.."})
    void refusesDotSegments(String key) {
        assertThatThrownBy(() -> ObjectKeys.validate(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + key + "\"")
                .hasMessageContaining("segments");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/x"})
    void refusesAbsoluteKeys(String key) {
        assertThatThrownBy(() -> ObjectKeys.validate(key)).hasMessageContaining("must not start with '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b", "a/", "a/b/"})
    void refusesEmptySegments(String key) {
        assertThatThrownBy(() -> ObjectKeys.validate(key)).hasMessageContaining("empty segments");
    }

    @Test
    void refusesBackslashesControlCharactersAndEmptyKeys() {
        assertThatThrownBy(() -> ObjectKeys.validate("..\\x")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> ObjectKeys.validate("a\nb")).hasMessageContaining("control characters")
                .hasMessageContaining("a\\u000ab");
        assertThatThrownBy(() -> ObjectKeys.validate("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ObjectKeys.validate(null)).hasMessageContaining("must not be empty");
    }

    @Test
    void limitsKeysTo1024Utf8Bytes() {
        assertThat(ObjectKeys.validate("a".repeat(1024))).hasSize(1024);
        // 'é' is two UTF-8 bytes: 513 of them are 1026 bytes in 513 characters.
        assertThatThrownBy(() -> ObjectKeys.validate("é".repeat(513))).hasMessageContaining("1026");
    }
}
