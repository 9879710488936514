package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Serialises the manifest and the report: JSON for tools, Markdown for people. */
public final class ReportFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {
    }

    static byte[] json(Object value) {
        try {
            return (MAPPER.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("reports are plain records and always serialise", e);
        }
    }

    public static Manifest readManifest(byte[] json) throws IOException {
        return MAPPER.readValue(json, Manifest.class);
    }

    public static RewriteReport readReport(byte[] json) throws IOException {
        return MAPPER.readValue(json, RewriteReport.class);
    }

    static byte[] markdown(RewriteReport report) {
        return ReportMarkdown.render(report).getBytes(StandardCharsets.UTF_8);
    }
}
