package io.reapomni.common.report;

import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.plan.ScoringEvidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The figures of a rewrite's report, as SVG files beside {@code REPORT.md}: parameters per component always; for a
 * calibrated plan the audio-affinity heatmap and the layer-similarity curve (whichever was scored); once the written
 * model is evaluated, its quality per held-out sample.
 */
public final class ReportFigures {
    public static final String PARAMETERS = "reap-parameters.svg";
    public static final String AFFINITY = "reap-affinity.svg";
    public static final String LAYER_SIMILARITY = "reap-layer-similarity.svg";
    public static final String QUALITY = "reap-quality.svg";
    /** Every file a report may hold a figure in. */
    public static final Set<String> FILES = Set.of(PARAMETERS, AFFINITY, LAYER_SIMILARITY, QUALITY);

    private ReportFigures() {
    }

    public static List<Figure> of(List<ComponentBar> components, Optional<ScoringEvidence> evidence,
                                  Optional<QualityReport> quality) {
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure(PARAMETERS, "Parameters per component, before and after",
                ParameterBars.render(components)));
        experts(evidence).ifPresent(experts -> figures.add(new Figure(AFFINITY,
                "Audio affinity of every expert, kept ones outlined", AffinityHeatmap.render(evidence.get().stack(),
                experts, evidence.get().layers().map(ScoringEvidence.LayerScores::droppedLayers).orElse(List.of())))));
        layers(evidence).ifPresent(layers -> figures.add(new Figure(LAYER_SIMILARITY,
                "Layer similarity, dropped blocks shaded", SimilarityCurve.render(evidence.get().stack(), layers))));
        evaluated(quality).ifPresent(report -> figures.add(new Figure(QUALITY, "Quality per held-out sample",
                QualityChart.render(report))));
        return figures;
    }

    /** The files {@link #of} draws for this evidence and quality, without drawing them. */
    public static List<String> files(Optional<ScoringEvidence> evidence, Optional<QualityReport> quality) {
        List<String> files = new ArrayList<>(List.of(PARAMETERS));
        experts(evidence).ifPresent(experts -> files.add(AFFINITY));
        layers(evidence).ifPresent(layers -> files.add(LAYER_SIMILARITY));
        evaluated(quality).ifPresent(report -> files.add(QUALITY));
        return files;
    }

    private static Optional<ScoringEvidence.ExpertScores> experts(Optional<ScoringEvidence> evidence) {
        return evidence.flatMap(ScoringEvidence::experts).filter(experts -> !experts.layers().isEmpty());
    }

    private static Optional<ScoringEvidence.LayerScores> layers(Optional<ScoringEvidence> evidence) {
        return evidence.flatMap(ScoringEvidence::layers).filter(layers -> !layers.blocks().isEmpty());
    }

    private static Optional<QualityReport> evaluated(Optional<QualityReport> quality) {
        return quality.filter(report -> report.average().isPresent());
    }

    /** The figure named {@code file} among {@code figures}. */
    public static Optional<Figure> find(List<Figure> figures, String file) {
        return figures.stream().filter(figure -> figure.file().equals(file)).findFirst();
    }
}
