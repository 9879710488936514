package io.reapomni.common.report;

/** One figure of a report: its file name beside {@code REPORT.md}, the caption it is embedded with, its SVG. */
public record Figure(String file, String caption, byte[] svg) {
}
