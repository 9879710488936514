package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.report.Figure;
import io.reapomni.common.report.ReportFigures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Serialises the manifest and the report: JSON for tools, Markdown and SVG figures for people. */
public final class ReportFiles {
    /** Reports and manifests that an earlier version wrote lack the fields added since: those are read as absent. */
    private static final ObjectReader READER = StrictJson.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** Every file a report may be written in: the JSON, the Markdown and the figures. */
    public static final Set<String> NAMES = names();

    private ReportFiles() {
    }

    static byte[] json(Object value) {
        try {
            return (StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("reports are plain records and always serialise", e);
        }
    }

    public static Manifest readManifest(byte[] json) throws IOException {
        return READER.readValue(json, Manifest.class);
    }

    public static RewriteReport readReport(byte[] json) throws IOException {
        return READER.readValue(json, RewriteReport.class);
    }

    /** The files of {@code report}, by name, in the order they are written: JSON, Markdown, figures. */
    static Map<String, byte[]> of(RewriteReport report) {
        List<Figure> figures = report.figures();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(RewriteReport.JSON_FILE, json(report));
        files.put(RewriteReport.MARKDOWN_FILE, ReportMarkdown.render(report, figures).getBytes(StandardCharsets.UTF_8));
        for (Figure figure : figures) {
            files.put(figure.file(), figure.svg());
        }
        return files;
    }

    private static Set<String> names() {
        Set<String> names = new HashSet<>(ReportFigures.FILES);
        names.add(RewriteReport.JSON_FILE);
        names.add(RewriteReport.MARKDOWN_FILE);
        return Set.copyOf(names);
    }
}
