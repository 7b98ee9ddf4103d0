package dev.pulse.events;

/** The three input streams, by the name used in dead_letters / late_events and in the file names. */
public enum StreamName {
    ORDERS("orders"),
    BEHAVIOR("behavior"),
    PAYMENTS("payments");

    private final String label;

    StreamName(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String fileName() {
        return label + ".jsonl";
    }
}
