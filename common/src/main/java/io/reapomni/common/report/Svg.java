package io.reapomni.common.report;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small SVG document written as text: rectangles, lines, polylines, circles and text, each with an optional CSS
 * class, tooltip ({@code <title>}) and {@code data-*} attributes, so that a figure carries the numbers it shows and a
 * test can read them back. Values are XML-escaped; numbers are written with two decimals.
 */
final class Svg {
    private final StringBuilder body = new StringBuilder();
    private final double width;
    private final double height;
    private final String title;

    Svg(double width, double height, String title) {
        this.width = width;
        this.height = height;
        this.title = title;
    }

    Svg rect(double x, double y, double w, double h, String cssClass, String fill, String tooltip,
             Map<String, String> data) {
        return rect(x, y, w, h, cssClass, fill, null, tooltip, data);
    }

    /** A rectangle outlined in {@code stroke} (none when null). */
    Svg rect(double x, double y, double w, double h, String cssClass, String fill, String stroke, String tooltip,
             Map<String, String> data) {
        body.append("  <rect").append(attribute("class", cssClass)).append(number("x", x)).append(number("y", y))
                .append(number("width", w)).append(number("height", h)).append(attribute("fill", fill))
                .append(attribute("stroke", stroke)).append(stroke == null ? "" : " stroke-width=\"1.5\"")
                .append(data(data));
        return close("rect", tooltip);
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
        body.append("  <line").append(number("x1", x1)).append(number("y1", y1)).append(number("x2", x2))
                .append(number("y2", y2)).append(attribute("stroke", stroke))
                .append(dashed ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
        return this;
    }

    Svg polyline(double[] xs, double[] ys, String cssClass, String stroke) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            points.append(i == 0 ? "" : " ").append(format(xs[i])).append(',').append(format(ys[i]));
        }
        body.append("  <polyline").append(attribute("class", cssClass)).append(attribute("points", points.toString()))
                .append(" fill=\"none\"").append(attribute("stroke", stroke)).append(" stroke-width=\"2\"/>\n");
        return this;
    }

    Svg circle(double x, double y, double r, String cssClass, String fill, String tooltip, Map<String, String> data) {
        body.append("  <circle").append(attribute("class", cssClass)).append(number("cx", x)).append(number("cy", y))
                .append(number("r", r)).append(attribute("fill", fill)).append(data(data));
        return close("circle", tooltip);
    }

    /** Text anchored at its start, middle or end ({@code anchor}), in a given size. */
    Svg text(double x, double y, String text, String anchor, double size) {
        body.append("  <text").append(number("x", x)).append(number("y", y))
                .append(attribute("text-anchor", anchor)).append(number("font-size", size)).append('>')
                .append(escape(text)).append("</text>\n");
        return this;
    }

    /** The document, UTF-8. */
    byte[] bytes() {
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"" + number("width", width) + number("height", height)
                + " viewBox=\"0 0 " + format(width) + " " + format(height) + "\""
                + " font-family=\"Helvetica, Arial, sans-serif\">\n"
                + "  <title>" + escape(title) + "</title>\n"
                + "  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
                + body + "</svg>\n";
        return document.getBytes(StandardCharsets.UTF_8);
    }

    private Svg close(String element, String tooltip) {
        if (tooltip == null) {
            body.append("/>\n");
        } else {
            body.append("><title>").append(escape(tooltip)).append("</title></").append(element).append(">\n");
        }
        return this;
    }

    /** In name order: {@code Map.of}'s order changes from one JVM to the next, and a report's bytes must not. */
    private static String data(Map<String, String> data) {
        StringBuilder attributes = new StringBuilder();
        new TreeMap<>(data).forEach((name, value) -> attributes.append(attribute("data-" + name, value)));
        return attributes.toString();
    }

    private static String attribute(String name, String value) {
        return value == null ? "" : " " + name + "=\"" + escape(value) + "\"";
    }

    private static String number(String name, double value) {
        return " " + name + "=\"" + format(value) + "\"";
    }

    /** About how wide {@code text} is in a sans-serif font of {@code size} pixels, so that a figure can make room. */
    static double textWidth(String text, double size) {
        return 0.6 * size * text.length();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> {
                    // XML 1.0 allows no control characters but tab, newline and carriage return
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
