package org.personalab.ui;

/** The panels of the workbench, in navigation order, each with what it does (shown while it is not built yet). */
public enum PanelId {
    BROWSER("Dataset browser", "Datasets, respondents, profiles and score distributions.", false,
            "M4 5h16v3H4zM4 10.5h16v3H4zM4 16h16v3H4z"),
    CLUSTERS("Clusters", "K-means over answers and demographics, 2D projection, stratified train/test splits.", false,
            "M7 7m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0M17 8m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0M11 17m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0"),
    SPECS("Specs", "Agent persona specs generated from each person's levels and cohort percentiles, validated and "
            + "exported as TinyTroupe persona JSON.", false,
            "M6 3h9l4 4v14H6zM9 10h7v1.6H9zM9 13.5h7v1.6H9zM9 17h5v1.6H9z"),
    JUDGE("Judge review", "Pairwise verdicts on two specs of one person (LLM, rubric or behavioural judge, in both A/B "
            + "orders), annotator overrides and agreement statistics, turned into SFT and DPO training data.", false,
            "M12 3l8 4v2H4V7zM6 10h2v7H6zM11 10h2v7h-2zM16 10h2v7h-2zM4 18h16v3H4z"),
    TRAINING("Training", "LoRA fine-tuning (SFT and DPO) of Qwen2.5 on the local machine through DJL, with loss "
            + "curves, checkpoints and resumable runs.", false,
            "M3 19l5-6 4 3 5-8 4 5v3H3z"),
    RESULTS("Results", "Agents answer the questionnaire; per-facet fidelity metrics against baselines with "
            + "confidence intervals and heatmaps.", false,
            "M4 20V10h3v10zM10.5 20V4h3v16zM17 20v-7h3v7z"),
    AGENT("Agent demo", "Talk to a persona agent built from one respondent, with optional personality steering "
            + "(PAS), and see its answers scored live.", true,
            "M4 4h16v11H9l-5 4z");

    private final String title;
    private final String description;
    private final boolean placeholder;
    private final String icon;

    PanelId(String title, String description, boolean placeholder, String icon) {
        this.title = title;
        this.description = description;
        this.placeholder = placeholder;
        this.icon = icon;
    }

    public String title() {
        return title;
    }

    /** What the panel does, in one or two sentences. */
    public String description() {
        return description;
    }

    /** Whether this release only shows a placeholder for the panel. */
    public boolean isPlaceholder() {
        return placeholder;
    }

    /** SVG path of the navigation icon (24 × 24 box). */
    public String icon() {
        return icon;
    }

    /** The text the placeholder shows. */
    public String placeholderText() {
        String d = description.endsWith(".") ? description.substring(0, description.length() - 1) : description;
        return d + " — coming in a later release.";
    }

    /** A stable node id, e.g. "nav-BROWSER". */
    public String navId() {
        return "nav-" + name();
    }
}
